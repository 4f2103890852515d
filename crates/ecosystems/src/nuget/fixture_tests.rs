//! The NuGet cataloger on its fixtures: a solution with central package management and v2
//! lockfiles (several target frameworks, `Project` and `CentralTransitive` entries), a
//! packages.config project with restored nuspecs, and truncated files of every format.

use crate::PackageRole;
use crate::testing::{Fixtures, pkg};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "nuget", folder: "nuget" };

const SLN: &str = "central-versions-solution";

#[test]
fn lock_with_project_entries_lists_every_package() {
    let c = FIXTURES.parse(&format!("{SLN}/src/Fahrplan.Web/packages.lock.json"));
    let deps: Vec<_> = c.packages.iter().filter(|p| p.role == PackageRole::Dependency).collect();
    assert_eq!(deps.len(), 7);
    let console = pkg(&c, "pkg:nuget/Serilog.Sinks.Console@5.0.1");
    assert_eq!((console.direct, console.line), (Some(true), Some(11)));
    assert_eq!(console.dependencies, vec!["pkg:nuget/Serilog@3.1.1".to_string()]);
    assert_eq!(console.hashes[0].alg, "SHA-512");
    assert_eq!(console.hashes[0].value.len(), 128);
    assert_eq!(pkg(&c, "pkg:nuget/Newtonsoft.Json@13.0.3").direct, Some(false));
    // The referenced project, and the lockfile's own project with its direct edges.
    let core = pkg(&c, "pkg:nuget/fahrplan.core");
    assert_eq!((core.role, core.dir.as_deref(), core.line), (PackageRole::Project, None, Some(39)));
    assert_eq!(core.dependencies.len(), 2);
    let me = &c.packages[0];
    assert_eq!(me.dir.as_deref(), Some("central-versions-solution/src/Fahrplan.Web"));
    assert_eq!(me.dependencies.len(), 4);
}

#[test]
fn multi_target_lock_counts_a_package_once() {
    let c = FIXTURES.parse(&format!("{SLN}/src/Fahrplan.Core/packages.lock.json"));
    assert_eq!(c.packages.iter().filter(|p| p.role == PackageRole::Dependency).count(), 11);
    // Edges of both frameworks are joined.
    let abstractions = pkg(&c, "pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.1");
    assert_eq!(abstractions.dependencies.len(), 3, "{:?}", abstractions.dependencies);
}

#[test]
fn project_files_and_central_versions() {
    let c = FIXTURES.parse(&format!("{SLN}/src/Fahrplan.Core/Fahrplan.Core.csproj"));
    let me = &c.packages[0];
    assert_eq!((me.name.as_str(), me.version.as_deref()), ("Fahrplan.Core", Some("2.3.0")));
    assert_eq!(me.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
    assert!(c.packages[1..].iter().all(|p| p.version.is_none() && p.direct == Some(true)));
    let props = FIXTURES.parse(&format!("{SLN}/Directory.Packages.props"));
    assert_eq!(props.packages.len(), 6);
    assert_eq!(pkg(&props, "pkg:nuget/xunit@2.6.6").line, Some(12));
}

#[test]
fn packages_config_and_restored_nuspecs() {
    let c = FIXTURES.parse("legacy-packages-config/Fahrplan.Legacy/packages.config");
    assert_eq!(c.packages.len(), 3);
    assert_eq!(pkg(&c, "pkg:nuget/NUnit@3.13.3").scope, Scope::Dev);
    let c = FIXTURES.parse("legacy-packages-config/packages/Newtonsoft.Json.12.0.3/Newtonsoft.Json.nuspec");
    let p = &c.packages[0];
    assert_eq!((p.role, p.purl.as_deref()), (PackageRole::Dependency, Some("pkg:nuget/Newtonsoft.Json@12.0.3")));
    assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
    let c = FIXTURES.parse("legacy-packages-config/packages/log4net.2.0.8/log4net.nuspec");
    assert_eq!(c.packages[0].declared_license.as_ref().unwrap().raw, "http://logging.apache.org/log4net/license.html");
    let c = FIXTURES.parse("legacy-packages-config/Fahrplan.Legacy/Fahrplan.Legacy.nuspec");
    assert_eq!((c.packages[0].role, c.packages[0].version.as_deref()), (PackageRole::Project, None));
    assert_eq!(c.packages.len(), 3);
    assert!(c.warnings.iter().any(|w| w.contains("LICENSE.txt")));
}

#[test]
fn truncated_files_give_errors_with_their_line() {
    FIXTURES.parse_error("corrupt/packages.lock.json", 21);
    FIXTURES.parse_error("corrupt/packages.config", 5);
}

#[test]
fn corrupt_project_props_and_nuspec_give_errors_with_their_line() {
    FIXTURES.parse_error("corrupt/Fahrplan.Web.csproj", 14);
    FIXTURES.parse_error("corrupt/Directory.Packages.props", 13);
    FIXTURES.parse_error("corrupt/log4net.nuspec", 9);
}
