"""Runs clients/python/matcher_client.py with Debian's boto3 against local servers; prints the
outcome of each case as JSON for matcher_client.boto3.test.ts to check. The replies themselves
are written beside the requests (a 15 MB request's reply is several MB)."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "clients", "python"))

from matcher_client import MatcherClient, MatcherError  # noqa: E402

LOCAL = {"region_name": "us-east-1", "aws_access_key_id": "local", "aws_secret_access_key": "local"}


def outcome(fn):
    try:
        return {"ok": fn()}
    except MatcherError as error:
        return {
            "error": type(error).__name__,
            "code": error.code,
            "message": error.message,
            "field": getattr(error, "field", None),
            "status": getattr(error, "status", None),
            "function_error": getattr(error, "function_error", None),
        }


def write_json(value, path):
    with open(path, "w") as f:
        json.dump(value, f)
    return True


def main():
    deployed, throttling, always, failing, work = sys.argv[1:6]
    with open(os.path.join(work, "large.json")) as f:
        large = json.load(f)
    with open(os.path.join(work, "small.json")) as f:
        small = json.load(f)
    cases = {}

    client = MatcherClient(endpoint_url=deployed, concurrency=2, **LOCAL)
    reply = client.score(large)
    with open(os.path.join(work, "large.reply.json"), "w") as f:
        json.dump(reply, f)
    cases["large"] = {"calls": client.calls, "entries": len(reply)}

    # Also two at a time: the server counts the calls in flight of both clients.
    tight = MatcherClient(endpoint_url=deployed, concurrency=2,
                          limits={"max_request_bytes": 4000, "max_entries": 200, "max_reply_bytes": 20000},
                          **LOCAL)
    with open(os.path.join(work, "small.reply.json"), "w") as f:
        json.dump(tight.score(small), f)
    cases["tight"] = {"calls": tight.calls}

    throttled = MatcherClient(endpoint_url=throttling, **LOCAL)
    # Sent whole (default limits) after the retry: written for the test to compare with one call's reply.
    cases["throttled"] = outcome(lambda: write_json(throttled.score(small), os.path.join(work, "throttled.reply.json")))

    cases["service_error"] = outcome(lambda: client.score({"budgets": []}))
    cases["function_error"] = outcome(lambda: MatcherClient(endpoint_url=failing, **LOCAL).score(small))
    cases["always_throttled"] = outcome(
        lambda: MatcherClient(endpoint_url=always, max_attempts=2, **LOCAL).score({"budgets": [], "all_user_expense_lineitems": []})
    )
    print(json.dumps(cases))


if __name__ == "__main__":
    main()
