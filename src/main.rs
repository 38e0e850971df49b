use clap::Parser;

fn main() {
    // Parser panics on hostile files are caught per file and reported as `unscannable`;
    // keep the default hook's backtrace noise out of the report.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = foiguard::cli::Cli::parse();
    std::process::exit(foiguard::cli::run(cli));
}
