"""Copy the official AWS service models (botocore's service-2.json) into models/,
without their documentation strings, so validation has the full constraints (min, max,
pattern, enum) that the aws-sdk v2 .min.json files strip. Run when a model needs refreshing:
python3 scripts/vendor-models.py"""
import gzip, json, os, botocore

SERVICES = ["codecommit", "iam", "sts", "s3", "ssm", "secretsmanager", "logs", "events",
            "codebuild", "codedeploy", "codepipeline", "lambda", "sns", "sqs", "cloudwatch",
            "codestar-notifications"]
root = os.path.join(os.path.dirname(botocore.__file__), "data")
out = os.path.join(os.path.dirname(__file__), "..", "models")

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

for name in SERVICES:
    version = sorted(os.listdir(os.path.join(root, name)))[-1]
    path = os.path.join(root, name, version, "service-2.json")
    opener = gzip.open if not os.path.exists(path) else open
    with opener(path if os.path.exists(path) else path + ".gz", "rt") as f:
        model = strip(json.load(f))
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(model, f, separators=(",", ":"))
    print(name, version, len(model["operations"]), "operations")

# SQS is also served over the Query protocol (older SDKs and CLIs send Action=... forms); its
# Query model, with the XML element names and flattening, comes from a botocore that still had
# it (the AWS CLI v2 2.9 bundled here, or any botocore before SQS moved to JSON).
QUERY_MODELS = {"sqs-query": "/usr/lib/python3/dist-packages/awscli/botocore/data/sqs/2012-11-05/service-2.json"}
for name, path in QUERY_MODELS.items():
    if not os.path.exists(path):
        print(name, "skipped: no Query-era model at", path)
        continue
    with open(path) as f:
        model = strip(json.load(f))
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(model, f, separators=(",", ":"))
    print(name, model["metadata"]["apiVersion"], len(model["operations"]), "operations")
