"""The domain: the exercises, a person's programme and profile, the guided session as a state
machine, the safety rules, the outcome measures, validation, and the words the app uses.

Owns everything that can be decided without the database: the catalogue
(``data/exercises.toml``), programme rules (which exercises a session runs), the session
plan and runner, what counts as a valid input, the explanations shown on several pages,
and the exercise figures (``figures/``: the keyframes of ``data/poses.toml``, posed and
drawn as SVG). May import only the standard library, pandas-free helpers and itself; never
``core.db``, ``core.progress``, ``core.sharing``, ``core.files`` or Streamlit.
"""
