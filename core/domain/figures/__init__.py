"""The exercise figures: a 3-D stick figure posed by forward kinematics and drawn as SVG.

``body`` is the model (segment lengths, joint angles and their limits, forward
kinematics); ``poses`` reads and checks the keyframes of ``data/poses.toml`` (limits,
floor, contacts, props) and places each pose on the floor; ``motion`` decides which
frames a figure shows and at what pace; ``svg`` projects and draws them. Pure Python:
part of ``core.domain``, it imports nothing outside the standard library and the domain.
"""
