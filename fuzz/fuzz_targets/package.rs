//! Any bytes, sniffed and inspected as foiguard would: the zip container, the OPC package
//! graph and part ledger, ODF manifests, OLE directories, and every format behind them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzzing::inspect(None, data));
