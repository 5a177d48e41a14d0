#!/usr/bin/python3
"""Every YAML file of an MLflow file store (meta.yaml, MLmodel), read by PyYAML as MLflow reads it.

usage: yaml_files.py MLRUNS

Prints one JSON object: each YAML file's path relative to MLRUNS -> what yaml.safe_load read from
it (MLflow's FileStore reads meta.yaml with yaml.safe_load, through libyaml's CSafeLoader when
there is one). Exits 1 naming the first file PyYAML refuses.
"""
import json
import os
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main():
    root = sys.argv[1]
    parsed = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if name != "meta.yaml" and name != "MLmodel":
                continue
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    parsed[os.path.relpath(path, root)] = yaml.load(f, Loader=Loader)
            except (yaml.YAMLError, UnicodeDecodeError) as error:
                print("yaml_files.py: %s: %s" % (path, error))
                sys.exit(1)
    print(json.dumps(parsed, sort_keys=True))


if __name__ == "__main__":
    main()
