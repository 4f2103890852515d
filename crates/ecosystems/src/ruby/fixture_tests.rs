//! The Ruby cataloger on its fixtures: a Gemfile.lock made by Bundler with GIT, PATH and GEM
//! sources, the Gemfile's groups, gemspecs (project and installed), a lock with platform
//! gems and CHECKSUMS, a second source, a truncated lock and a gemspec it cannot read.

use crate::PackageRole;
use crate::testing::{Fixtures, pkg};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "gem", folder: "ruby" };

const CASE: &str = "bundler-git-path";

#[test]
fn lock_lists_every_spec_of_every_source() {
    let c = FIXTURES.parse(&format!("{CASE}/Gemfile.lock"));
    let specs: Vec<_> = c.packages.iter().filter(|p| !p.name.is_empty()).collect();
    assert_eq!(specs.len(), 18);
    let timetable = pkg(&c, "pkg:gem/timetable@0.4.2");
    assert_eq!((timetable.direct, timetable.line), (Some(true), Some(6)));
    assert_eq!(timetable.dependencies, vec!["pkg:gem/rack@2.2.22".to_string()]);
    let core = pkg(&c, "pkg:gem/fahrplan-core@1.2.0");
    assert_eq!(core.role, PackageRole::Project);
    let sinatra = pkg(&c, "pkg:gem/sinatra@3.0.5");
    assert_eq!((sinatra.direct, sinatra.line, sinatra.dependencies.len()), (Some(true), Some(44), 4));
    assert_eq!(pkg(&c, "pkg:gem/rack-protection@3.0.5").direct, Some(false));
    assert_eq!(c.packages[0].dependencies.len(), 6);
}

#[test]
fn gemfile_gives_direct_gems_with_group_scopes() {
    let c = FIXTURES.parse(&format!("{CASE}/Gemfile"));
    let deps: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.scope)).collect();
    assert_eq!(
        deps,
        vec![
            ("sinatra", Scope::Runtime),
            ("nokogiri", Scope::Runtime),
            ("fahrplan-core", Scope::Runtime),
            ("timetable", Scope::Runtime),
            ("rspec", Scope::Dev),
            ("rake", Scope::Dev),
        ]
    );
}

#[test]
fn gemspecs_of_the_tree_and_installed_ones() {
    let c = FIXTURES.parse(&format!("{CASE}/gems/fahrplan-core/fahrplan-core.gemspec"));
    let me = &c.packages[0];
    assert_eq!((me.role, me.purl.as_deref()), (PackageRole::Project, Some("pkg:gem/fahrplan-core@1.2.0")));
    assert_eq!(me.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2 OR MIT"));
    assert_eq!(pkg(&c, "pkg:gem/rake").scope, Scope::Dev);
    let c = FIXTURES.parse(&format!("{CASE}/vendor/bundle/ruby/3.1.0/specifications/rack-2.2.22.gemspec"));
    assert_eq!(c.packages.len(), 1);
    let rack = &c.packages[0];
    assert_eq!((rack.role, rack.purl.as_deref()), (PackageRole::Dependency, Some("pkg:gem/rack@2.2.22")));
    assert_eq!(rack.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
    assert_eq!(rack.dir.as_deref(), Some("bundler-git-path/vendor/bundle/ruby/3.1.0/gems/rack-2.2.22"));
}

#[test]
fn platform_gems_are_one_package_each_with_checksums() {
    let c = FIXTURES.parse("platforms-checksums/Gemfile.lock");
    let specs: Vec<_> = c.packages.iter().filter(|p| !p.name.is_empty()).collect();
    assert_eq!(specs.len(), 10);
    let linux = pkg(&c, "pkg:gem/nokogiri@1.16.0?platform=x86_64-linux");
    assert_eq!((linux.version.as_deref(), linux.direct), (Some("1.16.0"), Some(true)));
    assert_eq!(linux.dependencies, vec!["pkg:gem/racc@1.7.3".to_string()]);
    assert_eq!(linux.hashes[0].alg, "SHA-256");
    let plain = pkg(&c, "pkg:gem/nokogiri@1.16.0");
    assert_eq!(plain.dependencies.len(), 2);
    assert!(specs.iter().all(|p| p.hashes.len() == 1), "every spec has its checksum");
}

#[test]
fn truncated_lock_and_unreadable_gemspec_are_errors() {
    FIXTURES.parse_error("corrupt/Gemfile.lock", 20);
    // A gemspec is read as text, never run: a name kataster cannot read is an error.
    let e = FIXTURES.try_parse("corrupt/gemspec/fahrplan-core.gemspec").unwrap_err();
    assert!(e.to_string().contains("name"), "{e}");
}

#[test]
fn gems_of_a_second_source_with_constraints_are_direct() {
    let c = FIXTURES.parse("second-source/Gemfile.lock");
    let specs: Vec<_> = c.packages.iter().filter(|p| !p.name.is_empty()).collect();
    assert_eq!(specs.len(), 7);
    let bootstrap = pkg(&c, "pkg:gem/rails-assets-bootstrap@3.4.1");
    assert_eq!((bootstrap.direct, bootstrap.line), (Some(true), Some(18)));
    assert_eq!(bootstrap.dependencies, vec!["pkg:gem/rails-assets-jquery@3.7.1".to_string()]);
    assert_eq!(pkg(&c, "pkg:gem/rails-assets-jquery@3.7.1").direct, Some(true));
    assert_eq!(pkg(&c, "pkg:gem/rails@7.1.3.4").direct, Some(true));
    assert_eq!(pkg(&c, "pkg:gem/thor@1.3.1").direct, Some(false));
}
