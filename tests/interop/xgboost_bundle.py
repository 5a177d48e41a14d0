#!/usr/bin/python3
"""A credo model bundle read as MLflow reads an xgboost model, by the tools MLflow users have.

usage: xgboost_bundle.py BUNDLE FEATURES.f32 MARGINS.f64

Reads BUNDLE/MLmodel with PyYAML; checks its `xgboost` flavour has the fields
mlflow.xgboost.load_model reads (xgb_version, data, model_class, model_format, code) and loads
the model file `data` names the way that loader does (model_class() then load_model(path)).
Scores FEATURES.f32 (float32, row-major, NaN = missing, one column per input of the MLmodel's
signature) with python3-xgboost and compares the margins with credo's, MARGINS.f64 (float64).
Exits 0 when every margin agrees within 1e-4, else 1 saying what differs.
"""
import importlib
import json
import os
import re
import sys

import numpy as np
import xgboost
import yaml


def fail(message):
    print("xgboost_bundle.py: " + message)
    sys.exit(1)


def main():
    bundle, features_path, margins_path = sys.argv[1:4]
    with open(os.path.join(bundle, "MLmodel"), encoding="utf-8") as f:
        mlmodel = yaml.safe_load(f)
    flavors = mlmodel.get("flavors", {})
    if "credo" not in flavors:
        fail("MLmodel has no credo flavour: %r" % list(flavors))
    flavor = flavors.get("xgboost")
    if not isinstance(flavor, dict):
        fail("MLmodel has no xgboost flavour: %r" % list(flavors))
    for key in ("xgb_version", "data", "model_class", "model_format"):
        if not isinstance(flavor.get(key), str) or not flavor[key]:
            fail("the xgboost flavour's %s is %r, not a string" % (key, flavor.get(key)))
    if "code" not in flavor:
        fail("the xgboost flavour has no code field (MLflow writes code: null)")
    if not re.fullmatch(r"\d+\.\d+\.\d+", flavor["xgb_version"]):
        fail("xgb_version %r is not a version" % flavor["xgb_version"])
    if flavor["model_class"] != "xgboost.core.Booster":
        fail("model_class %r is not xgboost.core.Booster" % flavor["model_class"])
    data = os.path.join(bundle, flavor["data"])
    if not os.path.isfile(data):
        fail("the flavour's data %r is not a file of the bundle" % flavor["data"])
    if os.path.splitext(data)[1] != "." + flavor["model_format"]:
        fail("model_format %r is not the extension of %r" % (flavor["model_format"], flavor["data"]))

    # As mlflow.xgboost._load_model does.
    module, cls = flavor["model_class"].rsplit(".", maxsplit=1)
    model = getattr(importlib.import_module(module), cls)()
    model.load_model(data)

    inputs = json.loads(mlmodel["signature"]["inputs"])
    cols = len(inputs)
    features = np.fromfile(features_path, dtype="<f4")
    expected = np.fromfile(margins_path, dtype="<f8")
    if features.size != expected.size * cols:
        fail("%d values for %d rows of %d inputs" % (features.size, expected.size, cols))
    margins = model.predict(xgboost.DMatrix(features.reshape(-1, cols), missing=np.nan), output_margin=True)
    difference = np.abs(margins.astype(np.float64) - expected)
    worst = int(np.argmax(difference))
    if not difference[worst] <= 1e-4:
        wrong = int(np.sum(~(difference <= 1e-4)))
        fail("%d of %d margins differ; row %d: xgboost %.6f, credo %.6f (xgboost %s)" %
             (wrong, expected.size, worst, margins[worst], expected[worst], xgboost.__version__))
    print("%d margins agree (largest difference %.2g; xgboost %s, the bundle's %s)" %
          (expected.size, difference[worst], xgboost.__version__, flavor["xgb_version"]))


if __name__ == "__main__":
    main()
