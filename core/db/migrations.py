"""Versioned schema migrations: numbered, each applied once, recorded in the database.

Never edit a migration that has shipped: add a new one. Every schema version has a tiny
fixture database under ``tests/fixtures/`` that the tests upgrade to the latest version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from core.db.writes import transaction


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema",
        """
        CREATE TABLE profiles (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL DEFAULT '',
            time_zone VARCHAR NOT NULL,
            weekly_target INTEGER NOT NULL CHECK (weekly_target BETWEEN 1 AND 14),
            programme_start DATE NOT NULL,
            recent_surgery BOOLEAN NOT NULL,
            red_flags VARCHAR NOT NULL DEFAULT '',
            red_flags_cleared BOOLEAN NOT NULL DEFAULT FALSE,
            sound_on BOOLEAN NOT NULL DEFAULT TRUE,
            lead_in_s INTEGER NOT NULL DEFAULT 5 CHECK (lead_in_s BETWEEN 0 AND 30),
            setup_pain INTEGER CHECK (setup_pain BETWEEN 0 AND 10),
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE programme_items (
            profile_id VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            exercise_id VARCHAR NOT NULL,
            reps INTEGER NOT NULL CHECK (reps >= 1),
            hold_s INTEGER NOT NULL CHECK (hold_s >= 0),
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (profile_id, position)
        );
        CREATE TABLE sessions (
            id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            -- equals profile_id while the session runs, NULL once it ends:
            -- the unique index allows one running session per profile.
            active_profile_id VARCHAR UNIQUE,
            started_at TIMESTAMPTZ NOT NULL,
            ended_at TIMESTAMPTZ,
            status VARCHAR NOT NULL CHECK (
                status IN ('in_progress', 'completed', 'partial', 'stopped_for_pain')
            ),
            source VARCHAR NOT NULL CHECK (source IN ('programme', 'ad_hoc')),
            plan_json VARCHAR NOT NULL,
            prescribed_sets INTEGER NOT NULL CHECK (prescribed_sets >= 0),
            notes VARCHAR NOT NULL DEFAULT '',
            updated_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE session_prescriptions (
            session_id VARCHAR NOT NULL,
            profile_id VARCHAR NOT NULL,
            exercise_id VARCHAR NOT NULL,
            side VARCHAR NOT NULL CHECK (side IN ('right', 'left', 'none')),
            prescribed INTEGER NOT NULL CHECK (prescribed >= 0),
            PRIMARY KEY (session_id, exercise_id, side)
        );
        CREATE TABLE set_records (
            session_id VARCHAR NOT NULL,
            profile_id VARCHAR NOT NULL,
            step_index INTEGER NOT NULL,
            exercise_id VARCHAR NOT NULL,
            side VARCHAR NOT NULL CHECK (side IN ('right', 'left', 'none')),
            rep INTEGER NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('hold', 'paced', 'tap')),
            prescribed_s DOUBLE NOT NULL,
            duration_s DOUBLE NOT NULL CHECK (duration_s >= 0),
            status VARCHAR NOT NULL CHECK (status IN ('done', 'skipped', 'stopped_for_pain')),
            started_at TIMESTAMPTZ NOT NULL,
            completed_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (session_id, step_index)
        );
        CREATE TABLE pain_ratings (
            id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
            kind VARCHAR NOT NULL CHECK (
                kind IN ('setup', 'checkin', 'before', 'after', 'exercise')
            ),
            session_id VARCHAR,
            exercise_id VARCHAR,
            note VARCHAR NOT NULL DEFAULT '',
            is_flare BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE TABLE weekly_checkins (
            profile_id VARCHAR NOT NULL,
            week_start DATE NOT NULL,
            pgic INTEGER CHECK (pgic BETWEEN 1 AND 7),
            note VARCHAR NOT NULL DEFAULT '',
            recorded_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (profile_id, week_start)
        );
        CREATE TABLE psfs_activities (
            id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            archived_at TIMESTAMPTZ
        );
        CREATE TABLE psfs_scores (
            activity_id VARCHAR NOT NULL,
            profile_id VARCHAR NOT NULL,
            week_start DATE NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            recorded_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (activity_id, week_start)
        );
        CREATE TABLE exercise_flags (
            profile_id VARCHAR NOT NULL,
            exercise_id VARCHAR NOT NULL,
            flagged_at TIMESTAMPTZ NOT NULL,
            reason VARCHAR NOT NULL,
            cleared_at TIMESTAMPTZ,
            PRIMARY KEY (profile_id, exercise_id, flagged_at)
        );
        CREATE TABLE share_links (
            id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            recipient VARCHAR NOT NULL,
            token_hash VARCHAR NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            range_start DATE,
            range_end DATE,
            revoked_at TIMESTAMPTZ
        );
        CREATE TABLE share_access_log (
            id VARCHAR PRIMARY KEY,
            link_id VARCHAR NOT NULL,
            profile_id VARCHAR NOT NULL,
            opened_at TIMESTAMPTZ NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "pain onset, pregnancy and osteoporosis answers, warning signs reported over time",
        """
        -- pain_onset: 'date' (pain_onset_date holds it), 'over_3_months' or 'unknown';
        -- NULL until the person answers. pregnant, osteoporosis: NULL when skipped.
        ALTER TABLE profiles ADD COLUMN pain_onset VARCHAR;
        ALTER TABLE profiles ADD COLUMN pain_onset_date DATE;
        ALTER TABLE profiles ADD COLUMN pregnant BOOLEAN;
        ALTER TABLE profiles ADD COLUMN osteoporosis BOOLEAN;
        -- Every warning sign reported, at setup or later, with its tier when reported; a
        -- sign is cleared when the person confirms a clinician has checked them for it.
        -- Signs ticked at the first setup stay in profiles.red_flags and are read there.
        CREATE TABLE warning_signs (
            id VARCHAR PRIMARY KEY,
            profile_id VARCHAR NOT NULL,
            sign VARCHAR NOT NULL,
            tier VARCHAR NOT NULL CHECK (tier IN ('emergency', 'urgent')),
            reported_at TIMESTAMPTZ NOT NULL,
            cleared_at TIMESTAMPTZ
        );
        """,
    ),
    Migration(
        3,
        "weekly target history and profile PINs",
        """
        -- The weekly target in force from each Monday on: a past week keeps the target it
        -- had when the target changes later. Every profile starts with its current target
        -- from the Monday of its programme start.
        CREATE TABLE weekly_targets (
            profile_id VARCHAR NOT NULL,
            week_start DATE NOT NULL CHECK (isodow(week_start) = 1),
            target INTEGER NOT NULL CHECK (target BETWEEN 1 AND 14),
            recorded_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (profile_id, week_start)
        );
        INSERT INTO weekly_targets
        SELECT id, CAST(date_trunc('week', programme_start) AS DATE), weekly_target, updated_at
        FROM profiles;
        -- An optional PIN per profile, stored only as a salted PBKDF2 hash.
        CREATE TABLE profile_pins (
            profile_id VARCHAR PRIMARY KEY,
            pin_hash VARCHAR NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );
        """,
    ),
    Migration(
        4,
        "the session coach's voice and volume",
        """
        -- Whether the session speaks its cues, and how loud cues are (0 to 100: DuckDB adds
        -- no CHECK with a column, so the store checks what it writes and reads a value out
        -- of range as the nearest bound). NULL (a profile made or imported before this
        -- version) means the defaults: voice on, volume 80.
        ALTER TABLE profiles ADD COLUMN voice_on BOOLEAN;
        ALTER TABLE profiles ADD COLUMN cue_volume INTEGER;
        """,
    ),
    Migration(
        5,
        "a reminder in an open tab at the session time",
        """
        -- Whether an open tab of the app shows a notification at the session time, and that
        -- time of day ("HH:MM", 24-hour, in the profile's time zone). NULL (a profile made or
        -- imported before this version) means no reminder and no time chosen yet.
        ALTER TABLE profiles ADD COLUMN reminder_on BOOLEAN;
        ALTER TABLE profiles ADD COLUMN reminder_time VARCHAR;
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the app; opening it could damage it."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration recorded in the database, 0 for a new one."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_migrations' AND table_schema = current_schema()"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(
    con: duckdb.DuckDBPyConnection, migrations: tuple[Migration, ...] = MIGRATIONS
) -> list[int]:
    """Apply every migration newer than the database, each in its own transaction.

    Returns the versions applied. Refuses a database newer than this code knows.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    version = current_version(con)
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        raise SchemaTooNewError(
            f"This database uses schema version {version}, but this version of Back on Track "
            f"only knows up to {latest}. Update the app to open it; the file was left untouched."
        )
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= version:
            continue
        with transaction(con):
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC)],
            )
        applied.append(migration.version)
    return applied
