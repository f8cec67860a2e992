#!/usr/bin/python3
"""Validates Kubernetes resources (YAML or JSON files) against a CustomResourceDefinition's
openAPIV3Schema, as the API server would, with unknown fields refused (kubectl --validate=strict).

    validate-crd.py CRD.yaml RESOURCE [RESOURCE...]

Prints one line per problem and exits 1 when any resource is invalid; 0 when all are valid.
Needs python3-yaml and python3-jsonschema (Debian). Used by tests/Pester/Kubernetes.Tests.ps1.
"""
import copy, sys

import yaml
import jsonschema


def strict(schema):
    """Objects that list their properties accept no others (the API server prunes or, with
    strict validation, refuses unknown fields); int64/int32 formats become bounds."""
    schema = copy.deepcopy(schema)
    def walk(s):
        if not isinstance(s, dict):
            return
        if s.get("type") == "object" and "properties" in s and "additionalProperties" not in s \
                and not s.get("x-kubernetes-preserve-unknown-fields"):
            s["additionalProperties"] = False
        if s.get("type") == "integer" and s.get("format") == "int64":
            s.setdefault("maximum", 2**64 - 1)   # uint64 fields are declared int64
        for v in s.get("properties", {}).values():
            walk(v)
        walk(s.get("items"))
    walk(schema)
    return schema


def main():
    crd = yaml.safe_load(open(sys.argv[1]))
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"]
    failed = False
    for path in sys.argv[2:]:
        for doc in yaml.safe_load_all(open(path)):
            if doc is None:
                continue
            api = doc.get("apiVersion", "")
            if doc.get("kind") != kind or not api.startswith(group + "/"):
                print(f"{path}: apiVersion/kind {api}/{doc.get('kind')} is not {group}/*, {kind}")
                failed = True
                continue
            version = api.split("/", 1)[1]
            versions = [v for v in crd["spec"]["versions"] if v["name"] == version and v.get("served", True)]
            if not versions:
                print(f"{path}: version {version} is not served by the CRD")
                failed = True
                continue
            schema = strict(versions[0]["schema"]["openAPIV3Schema"])
            name = (doc.get("metadata") or {}).get("name")
            if not name:
                print(f"{path}: metadata.name is required")
                failed = True
            for error in sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path)):
                print(f"{path}: {'.'.join(str(p) for p in error.path) or '(root)'}: {error.message}")
                failed = True
    sys.exit(1 if failed else 0)


main()
