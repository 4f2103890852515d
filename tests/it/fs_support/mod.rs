//! Shared helper of the tests that change fixture files: copy a fixture tree to a
//! temporary folder.
#![allow(dead_code)]

use std::path::Path;

/// Copy every file below `from` to the same place below `to`, creating folders as needed.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}
