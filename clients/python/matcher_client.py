"""A boto3 client of the budget/expense matcher, with nothing beyond boto3 and the standard library.

``MatcherClient.score(request)`` returns the reply one ``Invoke`` would give, in the same order,
whatever the request's size (the scores of a split request can differ from one call's: the
model's reciprocal stage sees each piece's line items only, docs/contract.md). A request over the service's limits (Lambda's 6 MB payload,
the function's 50,000 reply entries) is split by line items, each chunk carrying the budgets it
needs (budgets are split too when they alone are too large); the chunks run at most
``concurrency`` at a time and their replies are merged as one call answers: a bad budget's error
entry once, line items' error entries after all pairs, every index renumbered to the whole request.

Throttling (``TooManyRequestsException``) and transient faults are retried by botocore's
``standard`` retry mode (exponential backoff with jitter). The service's whole-request errors and
function errors are raised as typed exceptions carrying the service's code.

Example::

    import boto3
    from matcher_client import MatcherClient

    client = MatcherClient("budget-expense-matcher", qualifier="live")
    reply = client.score({"budgets": budgets, "all_user_expense_lineitems": items})

    # The local server (npm start): the Lambda API on its port, any credentials.
    local = MatcherClient(endpoint_url="http://127.0.0.1:3000", region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
"""

import json
import random
import re
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

__all__ = [
    "DEFAULT_LIMITS",
    "MatcherClient",
    "MatcherError",
    "MatcherFunctionError",
    "MatcherServiceError",
    "MatcherTransportError",
    "merge_replies",
    "plan_chunks",
]

#: The deployed service's limits: request bytes (Lambda's and ``MAX_BODY_BYTES``), reply entries
#: (``MAX_PAIRS``: budgets x items + budgets + items) and estimated reply bytes (Lambda returns
#: at most 6 MB; 5.5 MiB leaves the estimate a margin).
DEFAULT_LIMITS = {
    "max_request_bytes": 6 * 1024 * 1024,
    "max_entries": 50_000,
    "max_reply_bytes": int(5.5 * 1024 * 1024),
}

# `{"budget_id":"","itemization_id":"","score":0.123456,"match":false},` is 68 bytes.
PAIR_REPLY_OVERHEAD = 72
# One budget's or item's error entry (code, message, field): about 170 bytes; a generous allowance.
ERROR_ENTRY_BYTES = 400
# `{"budgets":[],"all_user_expense_lineitems":[]}`
ENVELOPE_BYTES = 46
# The service's id rules (CONTRACT.md), for sizing only: an unusable id is one error entry.
MAX_ID_CHARS = 256
UNSTORABLE_ID_CHARS = re.compile("[\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]")
MAX_SAFE_INTEGER = 2**53 - 1
# The service's codes worth another attempt: the model is loading or its store is unreachable.
RETRYABLE_CODES = {"model_unavailable"}


class MatcherError(Exception):
    """Every error the client raises; ``code`` is stable and branchable."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class MatcherServiceError(MatcherError):
    """The service refused the request as a whole: its ``code``, ``message`` and ``field``."""

    def __init__(self, code, message, field=None):
        super().__init__(code, message)
        self.field = field


class MatcherFunctionError(MatcherError):
    """The function failed (Lambda's ``FunctionError``); ``code`` is Lambda's ``errorType``."""

    def __init__(self, code, message, function_error):
        super().__init__(code, message)
        self.function_error = function_error


class MatcherTransportError(MatcherError):
    """The Lambda API refused the call (throttled past the retries, no such function, ...):
    ``code`` is the AWS error code; ``status`` the HTTP status when there was one."""

    def __init__(self, code, message, status=None):
        super().__init__(code, message)
        self.status = status


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def _usable_id(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if abs(value) <= MAX_SAFE_INTEGER else None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) <= MAX_SAFE_INTEGER else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text == "" or len(text) > MAX_ID_CHARS or UNSTORABLE_ID_CHARS.search(text):
        return None
    return text


class _Entry:
    __slots__ = ("json", "bytes", "id_bytes")

    def __init__(self, value, id_field):
        self.json = _dumps(value)
        self.bytes = len(self.json)
        raw_id = value.get(id_field) if isinstance(value, dict) else None
        usable = _usable_id(raw_id)
        self.id_bytes = None if usable is None else len(usable.encode("utf-8"))


class _Size:
    __slots__ = ("count", "bytes", "scored", "id_bytes", "errors")

    def __init__(self, count=0, nbytes=0, scored=0, id_bytes=0, errors=0):
        self.count, self.bytes, self.scored, self.id_bytes, self.errors = count, nbytes, scored, id_bytes, errors

    def add(self, entry):
        scored = entry.id_bytes is not None
        return _Size(
            self.count + 1,
            self.bytes + entry.bytes,
            self.scored + (1 if scored else 0),
            self.id_bytes + (entry.id_bytes or 0),
            self.errors + (0 if scored else 1),
        )


def _measure(entries):
    size = _Size()
    for entry in entries:
        size = size.add(entry)
    return size


def _fits(group, items, limits, share=1.0):
    request_bytes = ENVELOPE_BYTES + group.bytes + max(0, group.count - 1) + items.bytes + max(0, items.count - 1)
    entries = group.count * items.count + group.count + items.count
    reply_bytes = (
        group.scored * items.scored * PAIR_REPLY_OVERHEAD
        + group.id_bytes * items.scored
        + items.id_bytes * group.scored
        + (group.errors + items.errors) * ERROR_ENTRY_BYTES
    )
    return (
        request_bytes <= limits["max_request_bytes"] * share
        and entries <= limits["max_entries"] * share
        and reply_bytes <= limits["max_reply_bytes"] * share
    )


def _too_large(list_name, index, entry):
    return MatcherError(
        "entry_too_large",
        f"{list_name}[{index}] is {entry.bytes} bytes: with the budgets it must travel with, it does not "
        "fit one call inside the service's limits; shorten it or raise the limits",
    )


def _is_matcher_request(value):
    return (
        isinstance(value, dict)
        and isinstance(value.get("budgets"), list)
        and isinstance(value.get("all_user_expense_lineitems"), list)
    )


def plan_chunks(request, limits=None):
    """How ``request`` is sent: ``("whole", body)``, or ``("split", budget_groups, chunks)`` where
    each chunk is a dict with ``group``, ``budget_start``, ``budget_end``, ``item_start``,
    ``item_end`` and ``body`` (the JSON to send). Same rules as the TypeScript client."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    whole = _dumps(request)
    if not _is_matcher_request(request):
        return ("whole", whole)
    budgets = [_Entry(b, "budget_id") for b in request["budgets"]]
    items = [_Entry(i, "itemization_id") for i in request["all_user_expense_lineitems"]]
    if len(whole) <= limits["max_request_bytes"] and _fits(_measure(budgets), _measure(items), limits):
        return ("whole", whole)
    groups = _group_budgets(budgets, limits)
    chunks = []
    for g, (start, end) in enumerate(groups):
        group_size = _measure(budgets[start:end])
        budget_json = ",".join(b.json for b in budgets[start:end])
        for item_start, item_end in _run_items(items, group_size, limits):
            item_json = ",".join(i.json for i in items[item_start:item_end])
            chunks.append({
                "group": g,
                "budget_start": start,
                "budget_end": end,
                "item_start": item_start,
                "item_end": item_end,
                "body": f'{{"budgets":[{budget_json}],"all_user_expense_lineitems":[{item_json}]}}',
            })
    return ("split", groups, chunks)


def _group_budgets(budgets, limits):
    if not budgets:
        return [(0, 0)]
    one = _Size(1, 0, 1, 0, 0)
    groups, start, size = [], 0, _Size()
    for b, budget in enumerate(budgets):
        grown = size.add(budget)
        if _fits(grown, one, limits, 0.5):
            size = grown
            continue
        if b > start:
            groups.append((start, b))
        start, size = b, _Size().add(budget)
        if not _fits(size, one, limits, 0.5):
            raise _too_large("budgets", b, budget)
    groups.append((start, len(budgets)))
    return groups


def _run_items(items, group, limits):
    if not items:
        return [(0, 0)]
    runs, start, size = [], 0, _Size()
    for i, item in enumerate(items):
        grown = size.add(item)
        if _fits(group, grown, limits):
            size = grown
            continue
        if i == start:
            raise _too_large("all_user_expense_lineitems", i, item)
        runs.append((start, i))
        start, size = i, _Size().add(item)
        if not _fits(group, size, limits):
            raise _too_large("all_user_expense_lineitems", i, item)
    runs.append((start, len(items)))
    return runs


def _read_chunk(chunk, reply):
    item_errors = [e for e in reply if "itemization_index" in e]
    scored_items = chunk["item_end"] - chunk["item_start"] - len(item_errors)
    pairs_end = len(reply) - len(item_errors)
    per_budget, at = [], 0
    for b in range(chunk["budget_end"] - chunk["budget_start"]):
        entry = reply[at] if at < len(reply) else None
        # A budget with no pairs is followed at once by the next entry, which may be a later
        # budget's error entry: the index says whose it is.
        if entry is not None and entry.get("budget_index") == b:
            per_budget.append(("error", entry))
            at += 1
        else:
            per_budget.append(("pairs", reply[at:at + scored_items]))
            at += scored_items
    if scored_items < 0 or at != pairs_end or any("itemization_index" not in e for e in reply[pairs_end:]):
        raise MatcherError(
            "unexpected_reply",
            f"the reply to budgets {chunk['budget_start']}-{chunk['budget_end'] - 1} x line items "
            f"{chunk['item_start']}-{chunk['item_end'] - 1} has {len(reply)} entries, not the shape "
            "the contract gives such a request",
        )
    return per_budget, item_errors


def _renumber(entry, key, list_name, offset):
    if offset == 0:
        return entry
    moved = dict(entry)
    moved[key] = entry[key] + offset
    error = entry.get("error")
    if isinstance(error, dict) and isinstance(error.get("field"), str) and error["field"].startswith(f"{list_name}["):
        field = re.sub(r"^[a-z_]+\[(\d+)\]", lambda m: f"{list_name}[{int(m.group(1)) + offset}]", error["field"])
        moved["error"] = {**error, "field": field}
    return moved


def merge_replies(budget_groups, chunks, replies):
    """The reply in one call's order and indices, from the replies of a split request's chunks."""
    read = [_read_chunk(chunk, reply) for chunk, reply in zip(chunks, replies)]
    merged = []
    for g, (start, end) in enumerate(budget_groups):
        group_chunks = [read[i] for i, chunk in enumerate(chunks) if chunk["group"] == g]
        for b in range(end - start):
            kind, first = group_chunks[0][0][b]
            if kind == "error":
                merged.append(_renumber(first, "budget_index", "budgets", start))
                continue
            for per_budget, _ in group_chunks:
                merged.extend(per_budget[b][1])
    for i, chunk in enumerate(chunks):
        if chunk["group"] != 0:
            continue
        for entry in read[i][1]:
            merged.append(_renumber(entry, "itemization_index", "all_user_expense_lineitems", chunk["item_start"]))
    return merged


class MatcherClient:
    """A client of the matcher's Lambda function (see the module's documentation).

    ``function_name``: the function's name, ARN or ``name:alias``. ``qualifier``: an alias or
    version. ``lambda_client``: a boto3 Lambda client of your own; otherwise one is made from
    ``client_kwargs`` (``endpoint_url``, ``region_name``, credentials...) and the usual boto3
    configuration, retrying in botocore's ``standard`` mode with ``max_attempts`` attempts.
    ``concurrency``: most calls in flight at once over every ``score`` on this client.
    ``limits``: the service's limits when they differ from :data:`DEFAULT_LIMITS`.
    """

    def __init__(self, function_name="budget-expense-matcher", qualifier=None, lambda_client=None,
                 concurrency=4, max_attempts=5, limits=None, **client_kwargs):
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be a whole number >= 1, not {concurrency!r}")
        self.function_name = function_name
        self.qualifier = qualifier
        self.max_attempts = max_attempts
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.calls = 0
        self._calls_lock = threading.Lock()
        self._lambda = lambda_client or boto3.client(
            "lambda",
            config=Config(
                retries={"mode": "standard", "total_max_attempts": max_attempts},
                max_pool_connections=max(10, concurrency),
                read_timeout=120,
            ),
            **client_kwargs,
        )
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="matcher")

    def score(self, request):
        """The reply entries of ``request``, in the order one call answers (CONTRACT.md).

        A request past the limits is split by line items; its scores can then differ from one
        call's (the model's reciprocal stage sees each piece's line items only: docs/contract.md).

        Raises :class:`MatcherServiceError` (the service refused the request as a whole),
        :class:`MatcherFunctionError` (the function failed), :class:`MatcherTransportError` (the
        Lambda API refused the call), :class:`MatcherError` ``entry_too_large``.
        """
        plan = plan_chunks(request, self.limits)
        if plan[0] == "whole":
            return self._pool.submit(self._call, plan[1]).result()
        _, groups, chunks = plan
        futures = [self._pool.submit(self._call, chunk["body"]) for chunk in chunks]
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in pending:
            future.cancel()
        for future in futures:
            if future in done and future.exception() is not None:
                raise future.exception()
        return merge_replies(groups, chunks, [f.result() for f in futures])

    def close(self):
        """Stops the worker threads (calls in flight finish)."""
        self._pool.shutdown(wait=True)

    def _call(self, body):
        for attempt in range(self.max_attempts):
            try:
                return self._invoke(body)
            except MatcherServiceError as error:
                if error.code not in RETRYABLE_CODES or attempt == self.max_attempts - 1:
                    raise
                # Full jitter, as botocore's standard mode: a random wait under 0.1 s x 2^attempt.
                time.sleep(random.random() * min(20.0, 0.1 * 2**attempt))
        raise AssertionError("unreachable")

    def _invoke(self, body):
        with self._calls_lock:
            self.calls += 1
        params = {"FunctionName": self.function_name, "InvocationType": "RequestResponse", "Payload": body.encode("utf-8")}
        if self.qualifier is not None:
            params["Qualifier"] = self.qualifier
        try:
            out = self._lambda.invoke(**params)
        except ClientError as error:
            err = error.response.get("Error", {})
            raise MatcherTransportError(
                err.get("Code", "ClientError"),
                err.get("Message", str(error)),
                error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            ) from error
        except BotoCoreError as error:
            raise MatcherTransportError(type(error).__name__, str(error)) from error
        text = out["Payload"].read().decode("utf-8")
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if out.get("FunctionError"):
            failure = payload if isinstance(payload, dict) else {}
            raise MatcherFunctionError(
                failure.get("errorType") or out["FunctionError"],
                failure.get("errorMessage") or text,
                out["FunctionError"],
            )
        if isinstance(payload, list):
            return payload
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            raise MatcherServiceError(error["code"], error.get("message", error["code"]), error.get("field"))
        raise MatcherError("unexpected_reply", f"the reply is neither a list of entries nor the service's error object: {text[:200]}")
