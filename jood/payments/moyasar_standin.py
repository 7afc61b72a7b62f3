"""A local stand-in of Moyasar's API and hosted invoice page, for the tests and the demo — never the real Moyasar.

It keeps invoices, payments and saved-card tokens in memory and answers the calls Jood makes, in Moyasar's shapes
(docs.moyasar.com): ``POST /v1/invoices``, ``GET /v1/invoices/<id>``, ``GET /v1/payments/<id>``, ``GET /v1/payments``
(paged, ``meta.next_page``), ``POST /v1/payments/<id>/refund``, ``POST /v1/payments`` with a token source. Its invoice
page is a clearly marked TEST page offering mada, Apple Pay, STC Pay and a card; paying there records a payment and,
when ``deliver`` is on (the demo), posts Moyasar's webhook to the invoice's ``callback_url`` and sends the donor to
its ``success_url``. Run it for the demo with ``python -m jood.payments.moyasar_standin --port 8001``.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import threading
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Flask, abort, redirect, request

SECRET_KEY = "sk_test_standin"  # noqa: S105 - the stand-in's own test key, public by design
WEBHOOK_SECRET = "moyasar-standin-webhook-secret"  # noqa: S105 - likewise
PUBLISHABLE_KEY = "pk_test_standin"
DECLINED_CARD = "4000000000000002"  # the stand-in declines this card number; any other is approved
MADA_PREFIXES = ("4201", "5297", "4464", "5588")  # a few mada BINs, so the stand-in labels those cards mada
SOURCES = {
    "mada": {"type": "creditcard", "company": "mada", "name": "Test Donor", "number": "4201-32XX-XXXX-0012"},
    "card": {"type": "creditcard", "company": "visa", "name": "Test Donor", "number": "4111-11XX-XXXX-1111"},
    "applepay": {"type": "applepay", "company": "visa", "number": "4111-11XX-XXXX-1111"},
    "stcpay": {"type": "stcpay", "mobile": "05XXXXXX77"},
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class StandIn:
    """The state and the behaviour; ``app`` is its WSGI face."""

    def __init__(self, *, secret_key: str = SECRET_KEY, webhook_secret: str = WEBHOOK_SECRET,
                 publishable_key: str = PUBLISHABLE_KEY, deliver: bool = False) -> None:
        self.secret_key, self.webhook_secret, self.deliver = secret_key, webhook_secret, deliver
        self.publishable_key = publishable_key
        self.lock = threading.Lock()
        self.base = ""
        self.reset()
        self.app = self._make_app()

    def reset(self) -> None:
        self.invoices: dict[str, dict] = {}
        self.payments: dict[str, dict] = {}
        self.tokens: dict[str, str] = {}  # token -> "active" or "declined"
        self.given: dict[str, str] = {}  # given_id -> payment id
        self.requests: list[dict] = []
        self.outage: int | None = None  # answer every API call with this status (e.g. 503)
        self.sent_webhooks: list[dict] = []

    # --- what a test (or the TEST page) does -------------------------------------------------------------------

    def pay(self, invoice_id: str, method: str = "mada", status: str = "paid", **overrides) -> dict:
        """A payment attempt on an invoice, as the hosted page records it."""
        invoice = self.invoices[invoice_id]
        payment = self._payment(invoice["amount"], invoice["currency"], invoice["description"], method, status,
                                invoice_id=invoice_id, metadata=invoice.get("metadata"))
        payment.update(overrides)
        invoice["payments"].append(payment)
        if status == "paid":
            invoice["status"] = "paid"
        return payment

    def refund(self, payment_id: str, amount: int | None = None) -> dict:
        payment = self.payments[payment_id]
        amount = payment["amount"] - payment["refunded"] if amount is None else amount
        payment["refunded"] += amount
        payment["refunded_at"] = _now()
        payment["status"] = "refunded"
        return payment

    def event(self, kind: str, payment: dict, **overrides) -> dict:
        """The webhook Moyasar would send about ``payment``."""
        return {"id": str(uuid.uuid4()), "type": kind, "created_at": _now(), "secret_token": self.webhook_secret,
                "account_name": "Jood test", "live": False, "data": json.loads(json.dumps(payment)), **overrides}

    def _payment(self, amount, currency, description, method, status, *, invoice_id=None, metadata=None,
                 **overrides) -> dict:
        payment = {"id": str(uuid.uuid4()), "status": status, "amount": amount, "fee": 0, "currency": currency,
                   "refunded": 0, "refunded_at": None, "captured": 0, "captured_at": None, "voided_at": None,
                   "description": description, "amount_format": f"{amount / 100:.2f} {currency}",
                   "invoice_id": invoice_id, "ip": "127.0.0.1", "callback_url": None, "created_at": _now(),
                   "updated_at": _now(), "metadata": metadata,
                   "source": {**SOURCES.get(method, SOURCES["card"]), "message": "Succeeded! (Test Environment)"
                              if status == "paid" else "Declined (Test Environment)"}}
        payment.update(overrides)
        self.payments[payment["id"]] = payment
        return payment

    # --- the HTTP face -----------------------------------------------------------------------------------------

    def _authorised(self) -> bool:
        header = request.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{self.secret_key}:".encode()).decode()
        return header == expected

    def _make_app(self) -> Flask:
        app = Flask("moyasar_standin")
        standin = self

        @app.before_request
        def log_and_guard():
            if not request.path.startswith("/v1/") or request.path == "/v1/payments.html":
                return None
            standin.requests.append({"method": request.method, "path": request.path,
                                     "json": request.get_json(silent=True), "args": request.args.to_dict()})
            if standin.outage:
                return {"type": "api_error", "message": "stand-in outage"}, standin.outage
            if not standin._authorised():
                return {"type": "authentication_error", "message": "Invalid authorization credentials"}, 401
            return None

        @app.post("/v1/invoices")
        def create_invoice():
            body = request.get_json(silent=True) or {}
            if not isinstance(body.get("amount"), int) or body["amount"] < 100 or not body.get("description"):
                return {"type": "invalid_request_error", "message": "Validation Failed"}, 400
            invoice_id = str(uuid.uuid4())
            invoice = {"id": invoice_id, "status": "initiated", "amount": body["amount"],
                       "currency": body.get("currency") or "SAR", "description": body["description"],
                       "amount_format": f"{body['amount'] / 100:.2f} {body.get('currency') or 'SAR'}",
                       "url": f"{standin.base}/invoices/{invoice_id}", "callback_url": body.get("callback_url"),
                       "success_url": body.get("success_url"), "back_url": body.get("back_url"),
                       "expired_at": None, "created_at": _now(), "updated_at": _now(), "payments": [],
                       "metadata": body.get("metadata")}
            with standin.lock:
                standin.invoices[invoice_id] = invoice
            return invoice, 201

        @app.get("/v1/invoices/<invoice_id>")
        def get_invoice(invoice_id):
            return standin.invoices.get(invoice_id) or ({"type": "record_not_found", "message": "Object not found"},
                                                        404)

        @app.get("/v1/payments/<payment_id>")
        def get_payment(payment_id):
            return standin.payments.get(payment_id) or ({"type": "record_not_found", "message": "Object not found"},
                                                        404)

        @app.get("/v1/payments")
        def list_payments():
            page, per_page = int(request.args.get("page", 1)), 2  # small pages, so paging is exercised
            since = request.args.get("created[gt]", "")
            items = [p for p in standin.payments.values() if p["created_at"] > since]
            chunk = items[(page - 1) * per_page:page * per_page]
            last = max(1, -(-len(items) // per_page))
            return {"payments": chunk, "meta": {"current_page": page, "next_page": page + 1 if page < last else None,
                                                "prev_page": page - 1 or None, "total_pages": last,
                                                "total_count": len(items)}}

        @app.post("/v1/payments/<payment_id>/refund")
        def refund_payment(payment_id):
            payment = standin.payments.get(payment_id)
            if payment is None:
                return {"type": "record_not_found", "message": "Object not found"}, 404
            amount = (request.get_json(silent=True) or {}).get("amount")
            left = payment["amount"] - payment["refunded"]
            if payment["status"] not in ("paid", "captured", "refunded") or left <= 0 or (
                    amount is not None and (not isinstance(amount, int) or not 0 < amount <= left)):
                return {"type": "invalid_request_error", "message": "Payment cannot be refunded"}, 400
            return standin.refund(payment_id, amount)

        @app.post("/v1/payments")
        def create_payment():
            body = request.get_json(silent=True) or {}
            source = body.get("source") or {}
            if source.get("type") != "token" or source.get("token") not in standin.tokens:
                return {"type": "invalid_request_error", "message": "Validation Failed"}, 400
            if body.get("given_id") in standin.given:
                return standin.payments[standin.given[body["given_id"]]], 201
            status = "paid" if standin.tokens[source["token"]] == "active" else "failed"
            payment = standin._payment(body.get("amount"), body.get("currency") or "SAR", body.get("description"),
                                       "card", status, metadata=body.get("metadata"))
            payment["source"]["token"] = source["token"]
            if body.get("given_id"):
                standin.given[body["given_id"]] = payment["id"]
            return payment, 201

        @app.post("/v1/payments.html")
        def form_payment():
            """Moyasar's form endpoint: the browser posts the card here (publishable key); 3-D Secure is taken as
            passed; with ``source[save_card]`` the card is saved as a token. Back to ``callback_url``."""
            form = request.form
            standin.requests.append({"method": "POST", "path": request.path, "json": None,
                                     "args": {k: v for k, v in form.items() if k not in ("source[number]",
                                                                                           "source[cvc]")}})
            if form.get("publishable_api_key") != standin.publishable_key or not form.get("callback_url"):
                return {"type": "authentication_error", "message": "Invalid authorization credentials"}, 401
            try:
                amount = int(form.get("amount", ""))
            except ValueError:
                return {"type": "invalid_request_error", "message": "Validation Failed"}, 400
            number = "".join(c for c in form.get("source[number]", "") if c.isdigit())
            status = "failed" if number == DECLINED_CARD else "paid"
            method = "mada" if number.startswith(MADA_PREFIXES) else "card"
            metadata = {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")}
            payment = standin._payment(amount, form.get("currency") or "SAR", form.get("description"), method,
                                       status, metadata=metadata or None)
            payment["source"]["number"] = f"{number[:4]}-{number[4:6]}XX-XXXX-{number[-4:]}"
            if form.get("source[save_card]") == "true" and status == "paid":
                token = "token_" + uuid.uuid4().hex
                standin.tokens[token] = "active"
                payment["source"]["token"] = token
            query = urlencode({"id": payment["id"], "status": status, "message": "APPROVED" if status == "paid"
                               else "DECLINED"})
            return redirect(f"{form['callback_url']}?{query}")

        @app.delete("/v1/tokens/<token>")
        def delete_token(token):
            if standin.tokens.pop(token, None) is None:
                return {"type": "record_not_found", "message": "Object not found"}, 404
            return "", 204

        @app.route("/invoices/<invoice_id>", methods=["GET", "POST"])
        def invoice_page(invoice_id):
            invoice = standin.invoices.get(invoice_id) or abort(404)
            if request.method == "POST":
                method = request.form.get("method", "mada")
                status = "failed" if request.form.get("outcome") == "fail" else "paid"
                payment = standin.pay(invoice_id, method if method in SOURCES else "mada", status)
                if standin.deliver and invoice.get("callback_url"):
                    standin.send_webhook(invoice["callback_url"], standin.event(f"payment_{status}", payment))
                if status == "paid" and invoice.get("success_url"):
                    query = urlencode({"id": payment["id"], "status": status, "message": "APPROVED"})
                    return redirect(f"{invoice['success_url']}?{query}")
            return _PAGE.format(amount=html.escape(invoice["amount_format"]),
                                description=html.escape(invoice["description"]),
                                back=html.escape(invoice.get("back_url") or "#"),
                                status=html.escape(invoice["status"]))

        return app

    def send_webhook(self, url: str, event: dict) -> None:
        """Post ``event`` to Jood as Moyasar would (the demo); failures are only logged, as Moyasar retries."""
        self.sent_webhooks.append(event)
        data = json.dumps(event).encode()
        if not url.startswith(("http://", "https://")):
            return
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"},  # noqa: S310
                                     method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10):  # noqa: S310 - http(s) only, a URL Jood gave us
                pass
        except OSError as error:
            print(f"moyasar stand-in: webhook to {url} failed: {error}")  # noqa: T201


_PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>TEST — Moyasar stand-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<p role="note" data-testid="moyasar-test-banner"><strong>TEST PAYMENT — دفع تجريبي</strong><br>
This is a local stand-in of Moyasar's payment page. No card is asked for and no money moves.<br>
هذه صفحة محلية تحاكي صفحة الدفع في ميسر. لا تُطلب بطاقة ولا تنتقل أي أموال.</p>
<h1>{amount}</h1><p>{description}</p><p>status: {status}</p>
<form method="post">
<button name="method" value="mada" data-testid="standin-mada">mada — مدى</button>
<button name="method" value="applepay" data-testid="standin-applepay">Apple Pay</button>
<button name="method" value="stcpay" data-testid="standin-stcpay">STC Pay</button>
<button name="method" value="card" data-testid="standin-card">Visa / Mastercard</button>
</form>
<form method="post"><input type="hidden" name="outcome" value="fail">
<button name="method" value="mada" data-testid="standin-fail">Decline (test) — رفض تجريبي</button></form>
<p><a href="{back}">Back — رجوع</a></p>
</body></html>"""


def main() -> None:  # pragma: no cover - the demo's entry point
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description="Run the local Moyasar stand-in (TEST only).")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--secret-key", default=SECRET_KEY)
    parser.add_argument("--webhook-secret", default=WEBHOOK_SECRET)
    args = parser.parse_args()
    standin = StandIn(secret_key=args.secret_key, webhook_secret=args.webhook_secret, deliver=True)
    standin.base = f"http://127.0.0.1:{args.port}"
    run_simple("127.0.0.1", args.port, standin.app, threaded=True)


if __name__ == "__main__":
    main()
