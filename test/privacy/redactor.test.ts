import { describe, expect, it } from "vitest";
import type { PhoenixSpan } from "../../src/mapping/index.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { isCardNumber, passesLuhn } from "../../src/privacy/luhn.js";
import { Redactor } from "../../src/privacy/redactor.js";

const redactor = new Redactor();

describe("the redactor", () => {
  it.each([
    ["an OpenAI key", "key sk-proj-Abcdefghijklmnopqrstuvwx0123456789 end", "key [REDACTED:api-key] end"],
    ["an Anthropic key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "[REDACTED:api-key]"],
    ["a GitHub token", "use ghp_0123456789abcdefghijklmnopqrstuvwxyzAB now", "use [REDACTED:api-key] now"],
    ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[REDACTED:api-key]"],
    ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "[REDACTED:api-key]"],
    ["an AWS secret key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [REDACTED:aws-secret]"],
    ["a Google API key", "AIzaSyA-0123456789abcdefghijklmnopqrstu", "[REDACTED:api-key]"],
    ["a Slack token", "xoxb-1234567890-abcdefghij", "[REDACTED:api-key]"],
    ["a Stripe key", "sk_live_0123456789abcdefABCDEF", "[REDACTED:api-key]"],
    ["a bearer token", "Authorization: Bearer eyJhbGci.abc-def_ghi", "Authorization: [REDACTED:bearer]"],
    ["a JSON web token", "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "t=[REDACTED:jwt]"],
    ["a private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "[REDACTED:private-key]"],
    ["an e-mail address", "write to jane.doe+news@mail.example.co.uk today", "write to [REDACTED:email] today"],
    ["a card number with spaces", "card 4111 1111 1111 1111 exp", "card [REDACTED:card] exp"],
    ["a card number with dashes", "5500-0000-0000-0004", "[REDACTED:card]"],
    ["an Amex number", "378282246310005", "[REDACTED:card]"],
  ])("replaces %s", (_what, text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it.each([
    ["a number failing the Luhn check", "4111 1111 1111 1112"],
    ["epoch milliseconds", "at 1700000000000 and 1735689600000"],
    ["a long order number without a card prefix", "order 1234567890123456"],
    ["prose", "The API key rotation happens every sk day; email me at noon."],
    ["a short sk- word", "sk-learn is a library"],
    ["a version and an address without a domain", "v1.2.3 user@localhost"],
  ])("leaves %s alone", (_what, text) => {
    expect(redactor.redact(text)).toBe(text);
  });

  it("one replacement for every kind when asked", () => {
    expect(new Redactor({ replacement: "***" }).redact("a@b.example sk-abcdefghijklmnopqrstuvwx")).toBe("*** ***");
  });

  it("Luhn and card prefixes", () => {
    expect(passesLuhn("79927398713")).toBe(true);
    expect(passesLuhn("79927398710")).toBe(false);
    expect(isCardNumber("4012888888881881")).toBe(true);
    expect(isCardNumber("1234567812345670")).toBe(false); // passes Luhn, no issuer
  });

  it("stays fast on a megabyte of prose and on adversarial text (one pass, bounded patterns)", () => {
    const big = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
    for (const text of [big("The quick brown fox jumps over the lazy dog 42 times. "), big("a."), big("a@"), big("1 2 "), big("sk-"), big("x_"), big("bob@example.com ")]) {
      const started = performance.now();
      redactor.redact(text);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it("is off by default, and when on applies to every text of a span: values, arrays, events, name and status message", () => {
    const span: PhoenixSpan = {
      name: "mail to a@b.example",
      context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: "b7ad6b7169203331" },
      span_kind: "LLM",
      parent_id: null,
      start_time: "2026-01-01T00:00:00.000000Z",
      end_time: "2026-01-01T00:00:01.000000Z",
      status_code: "ERROR",
      status_message: "401 for key sk-abcdefghijklmnopqrstuvwx",
      attributes: { "input.value": "my card is 4111111111111111", tags: ["a@b.example", "ok"], count: 4111111111111111 },
      events: [{ name: "e", timestamp: "2026-01-01T00:00:00.500000Z", attributes: { "exception.message": "Bearer abcdefghijkl" } }],
    };
    expect(createPrepareStage(undefined, undefined, {}).prepare(span)).toBe(span);
    const out = createPrepareStage({ redact: true }, undefined, {}).prepare(span);
    expect(out.name).toBe("mail to [REDACTED:email]");
    expect(out.status_message).toBe("401 for key [REDACTED:api-key]");
    expect(out.attributes).toEqual({ "input.value": "my card is [REDACTED:card]", tags: ["[REDACTED:email]", "ok"], count: 4111111111111111 });
    expect(out.events[0]!.attributes["exception.message"]).toBe("[REDACTED:bearer]");
  });
});
