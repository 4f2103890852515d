//! The pipeline and what spans scans: the scan of roots into one inventory (`scan`), estates
//! of many repositories and their shards (`estate`), differences and baselines (`diff`), and
//! the history database with its dashboard (`history`). The command line calls these.

pub mod diff;
pub mod estate;
pub mod history;
pub mod scan;
