#!/usr/bin/python3
"""scikit-learn's defaults on a benchmark's own split, for the `budgets` command (bench/README.md).

Reads the train and test CSV files the bench wrote (a header, one column holding the label, the rest numeric features)
and prints the test accuracy (classification) or RMSE (regression) of logistic (or, for regression, linear) regression
behind a StandardScaler, a random forest and histogram gradient boosting, each with its defaults (the forest's and the
boosting's seed fixed so that a rerun prints the same figures). Run with Debian's /usr/bin/python3 and python3-sklearn.
"""
import argparse
import csv
import sys

try:
    import numpy as np
    from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
except ImportError as missing:
    print(f"scikit-learn baselines skipped ({missing}): apt-get install -y python3-sklearn")
    sys.exit(3)


def read(path, label):
    """Features as floats and labels as text, so that "0" and "benign" compare as the studio's predictions do."""
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    features = [name for name in rows[0] if name != label]
    return (np.array([[float(row[name]) for name in features] for row in rows]),
            np.array([row[label] for row in rows]))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--task", choices=["classification", "regression"], required=True)
    args = parser.parse_args()

    x_train, y_train = read(args.train, args.label)
    x_test, y_test = read(args.test, args.label)
    if args.task == "regression":
        y_train, y_test = y_train.astype(float), y_test.astype(float)

    if args.task == "classification":
        models = [("logistic regression + StandardScaler", make_pipeline(StandardScaler(), LogisticRegression())),
                  ("random forest", RandomForestClassifier(random_state=0)),
                  ("histogram gradient boosting", HistGradientBoostingClassifier(random_state=0))]
    else:
        models = [("linear regression + StandardScaler", make_pipeline(StandardScaler(), LinearRegression())),
                  ("random forest", RandomForestRegressor(random_state=0)),
                  ("histogram gradient boosting", HistGradientBoostingRegressor(random_state=0))]

    print(f"scikit-learn on the same split (train {len(y_train)} rows, test {len(y_test)}):")
    for name, model in models:
        predicted = model.fit(x_train, y_train).predict(x_test)
        if args.task == "classification":
            print(f"  {name:<40} test accuracy {np.mean(predicted == y_test):.2%}")
        else:
            rmse = np.sqrt(np.mean((predicted - y_test) ** 2))
            print(f"  {name:<40} test RMSE {rmse:.1f}")


if __name__ == "__main__":
    main()
