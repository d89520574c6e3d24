#!/usr/bin/python3
"""The split and scikit-learn's side of the `baselines` command (bench/README.md).

Writes one table's 75/25 split (seeded; stratified by class for classification) as OUT/train.csv and OUT/test.csv, then
scores on exactly those rows: logistic regression (ridge for regression) behind a StandardScaler, a random forest,
histogram gradient boosting, histogram gradient boosting tuned by a small randomized search (3-fold CV on the training
rows only) and XGBoost where Debian's python3-xgboost is installed. The figures go to OUT/baselines.json and, as text, to
stdout. The table is one of scikit-learn's bundled ones (--dataset) or any CSV (--csv, --target, optionally --task).
Run with Debian's /usr/bin/python3 and python3-sklearn; exit code 3 means a package is missing (and says which).
"""
import argparse
import csv
import json
import math
import os
import sys
import time

try:
    import numpy as np
    from scipy.stats import loguniform, randint
    from sklearn import datasets
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import RandomizedSearchCV, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, LabelEncoder, OneHotEncoder, OrdinalEncoder, StandardScaler
except ImportError as missing:
    print(f"scikit-learn baselines need python3-sklearn ({missing}): apt-get install -y python3-sklearn")
    sys.exit(3)

BUNDLED = {
    "breast_cancer": (datasets.load_breast_cancer, "classification"),
    "wine": (datasets.load_wine, "classification"),
    "iris": (datasets.load_iris, "classification"),
    # The raw table, as a user would have it (scikit-learn's default centres and scales the columns).
    "diabetes": (lambda: datasets.load_diabetes(scaled=False), "regression"),
    "digits": (datasets.load_digits, "classification"),
}
LABEL = "label"
MISSING = "\0missing"


def number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def text_of(value):
    """Shortest text that reads back as the same float; whole numbers without ".0" (digits' pixels 0-16)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def bundled(name):
    load, task = BUNDLED[name]
    data = load()
    header = [str(f) for f in data.feature_names] + [LABEL]
    if task == "classification":
        names = [str(n) for n in data.target_names]
        labels = [names[int(t)] for t in data.target]
    else:
        labels = [text_of(t) for t in data.target]
    rows = [[text_of(v) for v in features] + [label] for features, label in zip(data.data, labels)]
    return header, rows, LABEL, task


def from_csv(path, target, task):
    with open(path, newline="", encoding="utf-8-sig") as file:
        table = list(csv.reader(file))
    header, rows = table[0], [r for r in table[1:] if any(cell.strip() for cell in r)]
    if target not in header:
        sys.exit(f"{path} has no column '{target}'; its columns are: {', '.join(repr(h) for h in header)}")
    if any(len(r) != len(header) for r in rows):
        sys.exit(f"{path}: every row must have the header's {len(header)} cells")
    at = header.index(target)
    rows = [r for r in rows if r[at].strip() != ""]  # an unlabelled row can be neither trained on nor scored
    if task is None:
        # The studio's own rule (TabularColumns): numbers that are not all whole, or more than 20 distinct ones, are a regression.
        values = [number(r[at]) for r in rows]
        whole = all(v is not None and v == int(v) for v in values)
        task = "regression" if all(v is not None for v in values) and (not whole or len(set(values)) > 20) else "classification"
    return header, rows, target, task


def split(header, rows, label, task, seed, out):
    at = header.index(label)
    labels = [r[at] for r in rows]
    indices = list(range(len(rows)))
    stratify = labels if task == "classification" and min(labels.count(c) for c in set(labels)) >= 2 else None
    note = None if stratify is not None or task == "regression" else "a class has a single row: split without stratifying"
    train, test = train_test_split(indices, test_size=0.25, random_state=seed, stratify=stratify)
    for name, part in (("train.csv", sorted(train)), ("test.csv", sorted(test))):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows[i] for i in part)
    return [rows[i] for i in sorted(train)], [rows[i] for i in sorted(test)], note


def features(header, label, train, test):
    """Numeric columns as floats (NaN where empty), the others as text; both parts typed by the training rows."""
    columns = [i for i, name in enumerate(header) if name != label]
    numeric = [i for i in columns if all(r[i].strip() == "" or number(r[i]) is not None for r in train)]
    categorical = [i for i in columns if i not in numeric]

    def matrix(rows):
        x = np.empty((len(rows), len(columns)), dtype=object)
        for j, i in enumerate(columns):
            for k, row in enumerate(rows):
                cell = row[i].strip()
                if i in numeric:
                    value = number(cell) if cell else None
                    x[k, j] = np.nan if value is None else value
                else:
                    x[k, j] = cell if cell else MISSING
        return x

    at = header.index(label)
    num = [columns.index(i) for i in numeric]
    cat = [columns.index(i) for i in categorical]
    return matrix(train), matrix(test), [r[at] for r in train], [r[at] for r in test], num, cat


def as_float(x):
    return np.asarray(x, dtype=float)


def prepare(num, cat, linear):
    """Linear models: imputed, scaled numbers and one-hot categories. Trees: numbers as they are (NaN kept; the forest
    imputes) and categories as ordinal codes."""
    parts = []
    if num:
        numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler()) if linear else FunctionTransformer(as_float)
        parts.append(("numeric", numbers, num))
    if cat:
        codes = (OneHotEncoder(handle_unknown="ignore") if linear
                 else OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1))
        parts.append(("categorical", codes, cat))
    return ColumnTransformer(parts)


def models(task, num, cat, draws, seed):
    classification = task == "classification"
    forest_prep = make_pipeline(prepare(num, cat, linear=False), SimpleImputer(strategy="median", keep_empty_features=True))
    step = "histgradientboostingclassifier" if classification else "histgradientboostingregressor"
    space = {
        f"{step}__learning_rate": loguniform(0.01, 0.3),
        f"{step}__max_iter": randint(50, 300),
        f"{step}__max_leaf_nodes": randint(4, 64),
        f"{step}__min_samples_leaf": randint(2, 40),
        f"{step}__l2_regularization": loguniform(1e-4, 10),
        f"{step}__max_depth": [None, 3, 5, 8],
    }
    boosting = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
    tuned = RandomizedSearchCV(make_pipeline(prepare(num, cat, linear=False), boosting(random_state=0)), space, n_iter=draws, cv=3,
                               scoring="accuracy" if classification else "neg_root_mean_squared_error", random_state=seed, n_jobs=1)
    if classification:
        listed = [("logistic regression", make_pipeline(prepare(num, cat, linear=True), LogisticRegression(max_iter=5000))),
                  ("random forest", make_pipeline(forest_prep, RandomForestClassifier(random_state=0))),
                  ("histogram GBM", make_pipeline(prepare(num, cat, linear=False), HistGradientBoostingClassifier(random_state=0)))]
    else:
        listed = [("ridge", make_pipeline(prepare(num, cat, linear=True), Ridge())),
                  ("random forest", make_pipeline(forest_prep, RandomForestRegressor(random_state=0))),
                  ("histogram GBM", make_pipeline(prepare(num, cat, linear=False), HistGradientBoostingRegressor(random_state=0)))]
    listed.append((f"tuned histogram GBM ({draws} draws, 3-fold CV)", tuned))
    return listed


def xgboost(task, num, cat):
    try:
        import xgboost as xgb
    except ImportError:
        return None
    model = (xgb.XGBClassifier if task == "classification" else xgb.XGBRegressor)(random_state=0, n_jobs=1, tree_method="hist")
    return ("XGBoost", make_pipeline(prepare(num, cat, linear=False), model))


def score(task, predicted, truth):
    if task == "classification":
        return float(np.mean(np.asarray(predicted) == np.asarray(truth)))
    errors = np.asarray(predicted, dtype=float) - np.asarray([float(t) for t in truth])
    return float(np.sqrt(np.mean(errors ** 2)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", choices=sorted(BUNDLED))
    source.add_argument("--csv")
    parser.add_argument("--target", help="the label column of --csv")
    parser.add_argument("--task", choices=["classification", "regression"], help="for --csv; by default the studio's own rule")
    parser.add_argument("--out", required=True, help="folder for train.csv, test.csv and baselines.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--draws", type=int, default=20, help="draws of the tuned GBM's randomized search")
    args = parser.parse_args()
    if args.csv and not args.target:
        parser.error("--csv needs --target COLUMN")

    os.makedirs(args.out, exist_ok=True)
    if args.dataset:
        name = args.dataset
        header, rows, label, task = bundled(name)
    else:
        name = os.path.splitext(os.path.basename(args.csv))[0]
        header, rows, label, task = from_csv(args.csv, args.target, args.task)
    train, test, note = split(header, rows, label, task, args.seed, args.out)
    x_train, x_test, y_train, y_test, num, cat = features(header, label, train, test)

    listed = models(task, num, cat, args.draws, args.seed)
    notes = [note] if note else []
    boosted = xgboost(task, num, cat)
    if boosted:
        listed.append(boosted)
    else:
        notes.append("XGBoost skipped: python3-xgboost is not installed (apt-get install -y python3-xgboost)")

    metric = "accuracy" if task == "classification" else "rmse"
    print(f"{name}: {task}, {len(train)} training rows, {len(test)} test rows, {len(num)} numeric and {len(cat)} other columns "
          f"(split seed {args.seed})")
    baselines = []
    for title, model in listed:
        clock = time.perf_counter()
        if title == "XGBoost" and task == "classification":
            codes = LabelEncoder().fit(y_train)
            model.fit(x_train, codes.transform(y_train))
            predicted = codes.inverse_transform(model.predict(x_test).astype(int))
        else:
            predicted = model.fit(x_train, np.asarray(y_train, dtype=float) if task == "regression" else y_train).predict(x_test)
        seconds = time.perf_counter() - clock
        value = score(task, predicted, y_test)
        baselines.append({"name": title, "value": value, "seconds": round(seconds, 2)})
        shown = f"accuracy {value:.2%}" if task == "classification" else f"RMSE {value:.2f}"
        print(f"  {title:<44} {shown}  ({seconds:.1f} s)")
    for line in notes:
        print(f"  note: {line}")

    with open(os.path.join(args.out, "baselines.json"), "w", encoding="utf-8") as file:
        json.dump({"name": name, "task": task, "metric": metric, "label": label, "trainRows": len(train), "testRows": len(test),
                   "seed": args.seed, "baselines": baselines, "notes": notes}, file, indent=2)


if __name__ == "__main__":
    main()
