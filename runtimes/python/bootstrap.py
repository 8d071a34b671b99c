# codesuite's runtime client for Python functions: speaks the Lambda Runtime API at
# AWS_LAMBDA_RUNTIME_API (a bare host:port) and runs the handler `_HANDLER` names from LAMBDA_TASK_ROOT.
import http.client
import importlib
import json
import os
import sys
import time
import traceback

RUNTIME_API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
conn = http.client.HTTPConnection(RUNTIME_API)


def call(method, path, body=None, headers=None):
    global conn
    for attempt in (0, 1):
        try:
            conn.request(method, BASE + path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, res.getheaders(), res.read()
        except (http.client.HTTPException, ConnectionError):
            if attempt:
                raise
            conn = http.client.HTTPConnection(RUNTIME_API)


class FaultException(Exception):
    def __init__(self, error_type, message, stack=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack or []


def error_result(error_type, message, stack, request_id=None):
    body = {"errorMessage": message, "errorType": error_type}
    if request_id:
        body["requestId"] = request_id
    body["stackTrace"] = stack
    return body


def post_error(path, body):
    call("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": body["errorType"]})


def log_error(body):
    lines = ["[ERROR] %s: %s" % (body["errorType"], body["errorMessage"])]
    if body.get("stackTrace"):
        lines.append("Traceback (most recent call last):")
        lines.extend(line.replace("\n", "\r") for line in body["stackTrace"])
    sys.stdout.write("\r".join(lines) + "\n")
    sys.stdout.flush()


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler)
    modname = modname.replace("/", ".")
    if modname.split(".")[0] in sys.builtin_module_names:
        raise FaultException("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % modname)
    try:
        module = importlib.import_module(modname)
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        raise FaultException("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e), traceback.format_list(traceback.extract_tb(e.__traceback__)))
    except Exception as e:
        raise FaultException(type(e).__name__, str(e), traceback.format_list(traceback.extract_tb(e.__traceback__)))
    fn = getattr(module, fname, None)
    if fn is None:
        raise FaultException("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))
    return fn


class CognitoIdentity:
    def __init__(self, raw):
        self.cognito_identity_id = raw.get("cognitoIdentityId")
        self.cognito_identity_pool_id = raw.get("cognitoIdentityPoolId")


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self._deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        client_context = headers.get("lambda-runtime-client-context")
        self.client_context = json.loads(client_context) if client_context else None
        self.identity = CognitoIdentity(json.loads(headers.get("lambda-runtime-cognito-identity") or "{}"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


def main():
    sys.path.insert(0, TASK_ROOT)
    os.chdir(TASK_ROOT)
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except FaultException as f:
        body = error_result(f.error_type, f.message, f.stack)
        log_error(body)
        post_error("/init/error", body)
        sys.exit(1)
    while True:
        status, raw_headers, body = call("GET", "/invocation/next")
        if status != 200:
            sys.exit(1)
        headers = {k.lower(): v for k, v in raw_headers}
        request_id = headers["lambda-runtime-aws-request-id"]
        if headers.get("lambda-runtime-trace-id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
        try:
            event = json.loads(body) if body else None
            result = handler(event, LambdaContext(headers))
            payload = json.dumps(result).encode()
        except Exception as e:
            stack = traceback.format_list(traceback.extract_tb(e.__traceback__)[1:])
            failure = error_result(type(e).__name__, str(e), stack, request_id)
            log_error(failure)
            post_error("/invocation/%s/error" % request_id, failure)
            continue
        call("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
