"""Calls the local Invoke API with boto3, exactly as a caller calls the deployed function.

Spawned by invoke-api.boto3.test.ts:
`/usr/bin/python3 boto3_invoke.py ENDPOINT FUNCTION_NAME EVENTS_DIR FAILING_ENDPOINT`, where
FAILING_ENDPOINT serves a handler that throws, or hangs past its timeout when the event says "hang".
Prints one JSON object: for each case, what boto3 returned (status code, FunctionError, the decoded
payload, the decoded LogResult) or the ClientError it raised (code, message, HTTP status).
"""
import base64
import json
import os
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, function_name, events_dir, failing_endpoint = sys.argv[1:5]


def client(signed=True, url=None):
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    if not signed:
        config = config.merge(Config(signature_version=UNSIGNED))
    return boto3.client(
        "lambda",
        endpoint_url=url or endpoint,  # remove this line to call the deployed function
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=config,
    )


def event(name):
    with open(os.path.join(events_dir, name + ".json"), "rb") as f:
        return f.read()


def invoke(lambda_client=None, **kwargs):
    try:
        response = (lambda_client or client()).invoke(**kwargs)
    except ClientError as error:
        return {
            "error_code": error.response["Error"]["Code"],
            "error_message": error.response["Error"]["Message"],
            "http_status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    body = response["Payload"].read()
    result = {
        "status_code": response["StatusCode"],
        "function_error": response.get("FunctionError"),
        "executed_version": response.get("ExecutedVersion"),
        "request_id": response["ResponseMetadata"]["RequestId"],
        "payload": json.loads(body) if body else None,
    }
    if "LogResult" in response:
        result["log"] = base64.b64decode(response["LogResult"]).decode("utf-8")
    return result


print(
    json.dumps(
        {
            "seed": invoke(FunctionName=function_name, InvocationType="RequestResponse", Payload=event("seed-request")),
            "trip_live": invoke(FunctionName=function_name + ":live", Payload=event("direct-invoke-trip")),
            "bad_payload": invoke(FunctionName=function_name, Payload=event("bad-neither-list")),
            "not_json": invoke(FunctionName=function_name, Payload=b'{"budgets": ['),
            "unknown_function": invoke(FunctionName="no-such-function", Payload=event("seed-request")),
            "unknown_qualifier": invoke(FunctionName=function_name, Qualifier="blue", Payload=b"{}"),
            "event": invoke(FunctionName=function_name, InvocationType="Event", Payload=event("seed-request")),
            "dry_run": invoke(FunctionName=function_name, InvocationType="DryRun"),
            "tail": invoke(FunctionName=function_name, LogType="Tail", Payload=event("bad-neither-list")),
            "unsigned": invoke(client(signed=False), FunctionName=function_name, Payload=event("seed-request")),
            "unhandled": invoke(
                client(url=failing_endpoint), FunctionName=function_name, LogType="Tail", Payload=b"{}"
            ),
            "timeout": invoke(client(url=failing_endpoint), FunctionName=function_name, Payload=b'{"hang": true}'),
            "too_large": invoke(FunctionName=function_name, Payload=b'"' + b"x" * 6_291_456 + b'"'),
        }
    )
)
