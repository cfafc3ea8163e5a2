//! Unit tests of the parsers: see `tests/auth_*.rs` for fixture and corpus tests.
