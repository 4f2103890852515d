//! From files to components: the walk of a root, the evidence of each file (catalogers and
//! detectors, with the result cache), and the assembly of the components of a root. Uses the
//! model, the detectors and the ecosystems below it; never classifies.

pub mod assemble;
pub mod cache;
pub mod evidence;
pub mod walk;
