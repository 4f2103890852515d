"""Validate a CycloneDX 1.6 JSON file against the official schema (cyclonedx-python-lib)."""
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

with open(sys.argv[1], encoding="utf-8") as f:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(f.read())
if error is not None:
    print(f"invalid CycloneDX 1.6: {error}")
    sys.exit(1)
print("valid CycloneDX 1.6")
