//! Exit codes (SPEC), in one place below both the command line and `inspect`.

/// Every file may be released.
pub const EXIT_PASS: i32 = 0;
/// At least one file is blocked (including a file that could not be inspected).
pub const EXIT_BLOCK: i32 = 1;
/// The command itself could not run: bad arguments, a missing path, a bad config or roster.
pub const EXIT_USAGE: i32 = 2;
