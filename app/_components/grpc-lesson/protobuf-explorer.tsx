"use client";
// The protobuf explorer (issue 14 §4), all in the browser: a message of the lab's schemas picked, JSON to bytes and
// bytes to fields both ways (protobuf-model.ts), and a number as a varint and by zig-zag, byte by byte.

import { useId, useMemo, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, inputClass, Panel, selectClass } from "../lesson-kit/ui";
import { encodeJson, encodeVarint, EXPLORER_MESSAGES, messageByName, readFields, readHex, varintByteBits, zigzagEncode, type Read, type WireField } from "./protobuf-model";

const READ_ERRORS: Readonly<Record<string, Keys<"grpcLesson">>> = { tag: "pbErrTag", varint: "pbErrVarint", short: "pbErrShort", field0: "pbErrField0", wiretype: "pbErrWiretype" };
const hexOf = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
const START = "user_service.UserResponse";
const START_JSON = '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30, "status": "active"}';

function FieldRows({ fields, message, depth }: { fields: readonly WireField[]; message: string; depth: number }) {
  const t = useT("grpcLesson");
  return (
    <>
      {fields.map((f, i) => (
        <FieldRow key={`${depth}-${i}`} f={f} message={message} depth={depth} unknown={t("pbUnknownField", { message })} />
      ))}
    </>
  );
}

function FieldRow({ f, message, depth, unknown }: { f: WireField; message: string; depth: number; unknown: string }) {
  return (
    <>
      <tr className="border-b border-slate-200 align-top dark:border-slate-800" data-field={f.fieldNumber}>
        <td className="py-1 pr-2 font-mono">{f.start}</td>
        <td className="py-1 pr-2 font-mono">{hexOf(f.tagBytes)}</td>
        <th scope="row" className="py-1 pr-2 font-mono" style={{ paddingLeft: `${depth}rem` }}>
          {f.fieldNumber}
        </th>
        <td className="py-1 pr-2 font-mono">
          {f.wireType} {f.wireTypeName}
        </td>
        <td className="py-1 pr-2 font-mono">{f.name ? `${f.name}: ${f.type}` : unknown}</td>
        <td className="py-1 pr-2 font-mono">{f.varintBytes ? hexOf(f.varintBytes) : "–"}</td>
        <td className="py-1 font-mono break-all">{f.value}</td>
      </tr>
      {f.nested && <FieldRows fields={f.nested} message={f.type ?? message} depth={depth + 1} />}
    </>
  );
}

export function ProtobufExplorer() {
  const t = useT("grpcLesson");
  const ids = { message: useId(), json: useId(), hex: useId(), number: useId(), hexError: useId() };
  const [typeName, setTypeName] = useState(START);
  const [json, setJson] = useState(START_JSON);
  const [hex, setHex] = useState("");
  const [jsonError, setJsonError] = useState<string>();
  const [hexError, setHexError] = useState<string>();
  const [read, setRead] = useState<Read>();
  const [number, setNumber] = useState("150");
  const desc = messageByName(typeName)!;

  function toBytes() {
    const encoded = encodeJson(desc, json);
    if (!encoded.ok) {
      setJsonError(t("pbJsonError", { message: desc.typeName, error: encoded.error }));
      return;
    }
    setJsonError(undefined);
    setHexError(undefined);
    setHex(hexOf(encoded.bytes));
    setRead(readFields(encoded.bytes, desc));
  }

  function toFields() {
    const parsed = readHex(hex);
    if (!parsed.ok) {
      setRead(undefined);
      setHexError(t(parsed.error === "odd" ? "pbHexOdd" : "pbHexChar", { at: String(parsed.at + 1) }));
      return;
    }
    setHexError(undefined);
    const result = readFields(parsed.bytes, desc);
    setRead(result);
    if (result.ok && result.json !== undefined) setJson(result.json);
  }

  const readError = read && !read.ok ? t(READ_ERRORS[read.error] ?? "pbErrTag", { at: String(read.at), wire: String(readWireType(hex, read.at)) }) : undefined;

  const varint = useMemo(() => {
    if (!/^\s*-?\d{1,19}\s*$/.test(number)) return undefined;
    const n = BigInt(number.trim());
    return { n, plain: encodeVarint(n), z: zigzagEncode(n), zigzag: encodeVarint(zigzagEncode(n)) };
  }, [number]);

  return (
    <Panel id="grpc-protobuf" title={t("pbTitle")}>
      <Paragraphs texts={[t("pbP1")]} />
      <label htmlFor={ids.message} className="block text-sm font-medium">
        {t("pbMessage")}
      </label>
      <select id={ids.message} className={selectClass} value={typeName} onChange={(e) => setTypeName(e.target.value)}>
        {EXPLORER_MESSAGES.map((m) => (
          <option key={m.typeName} value={m.typeName}>
            {m.typeName}
          </option>
        ))}
      </select>
      <div className="grid gap-4">
        <div className="space-y-2">
          <label htmlFor={ids.json} className="block text-sm font-medium">
            {t("pbJson")}
          </label>
          <textarea id={ids.json} className={`${inputClass} h-32`} value={json} onChange={(e) => setJson(e.target.value)} spellCheck={false} />
          <button type="button" className={buttonPrimary} onClick={toBytes}>
            {t("pbEncode")}
          </button>
          {jsonError && <ErrorText>{jsonError}</ErrorText>}
        </div>
        <div className="space-y-2">
          <label htmlFor={ids.hex} className="block text-sm font-medium">
            {t("pbHex")}
          </label>
          <textarea
            id={ids.hex}
            className={`${inputClass} h-32`}
            value={hex}
            onChange={(e) => setHex(e.target.value)}
            spellCheck={false}
            aria-invalid={hexError !== undefined}
            aria-describedby={hexError ? ids.hexError : undefined}
          />
          <button type="button" className={buttonPrimary} onClick={toFields}>
            {t("pbDecode")}
          </button>
          {hexError && (
            <p id={ids.hexError} role="alert" className="text-sm text-red-700 dark:text-red-300">
              {hexError}
            </p>
          )}
        </div>
      </div>
      <div aria-live="polite" className="space-y-2">
        {readError && <ErrorText>{readError}</ErrorText>}
        {read && read.fields.length > 0 && (
          <div className="overflow-x-auto" role="region" aria-label={t("pbCaption")} tabIndex={0}>
            <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
              <caption className="text-left font-medium">{read.ok ? t("pbCaption") : t("pbReadUpTo")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className="py-1 pr-2">{t("pbColOffset")}</th>
                  <th scope="col" className="py-1 pr-2">{t("pbColTag")}</th>
                  <th scope="col" className="py-1 pr-2">{t("pbColField")}</th>
                  <th scope="col" className="py-1 pr-2">{t("pbColWire")}</th>
                  <th scope="col" className="py-1 pr-2">{t("pbColName")}</th>
                  <th scope="col" className="py-1 pr-2">{t("pbColVarint")}</th>
                  <th scope="col" className="py-1">{t("pbColValue")}</th>
                </tr>
              </thead>
              <tbody>
                <FieldRows fields={read.fields} message={desc.name} depth={0} />
              </tbody>
            </table>
          </div>
        )}
        {read?.ok && read.json !== undefined && (
          <div>
            <h3 className="text-sm font-semibold">{t("pbRoundTrip")}</h3>
            <pre className="overflow-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800" data-testid="pb-json-back">
              {read.json}
            </pre>
          </div>
        )}
        {read?.ok && read.jsonError && <ErrorText>{t("pbJsonBackError", { message: desc.typeName, error: read.jsonError })}</ErrorText>}
      </div>

      <h3 className="text-lg font-semibold">{t("pbVarintTitle")}</h3>
      <p className="text-sm">
        <Rich text={t("pbVarintP")} />
      </p>
      <label htmlFor={ids.number} className="block text-sm font-medium">
        {t("pbNumber")}
      </label>
      <input id={ids.number} className={`${inputClass} max-w-xs`} value={number} onChange={(e) => setNumber(e.target.value.slice(0, 21))} aria-invalid={varint === undefined} />
      <div aria-live="polite" className="space-y-1 text-sm">
        {varint ? (
          <>
            <p className="font-mono">{t("pbVarintBytes", { hex: hexOf(varint.plain) })}</p>
            <p>{t("pbBits")}</p>
            <p className="font-mono break-all">
              {[...varint.plain].map((b) => {
                const { more, bits } = varintByteBits(b);
                return `${more ? 1 : 0}|${bits}`;
              }).join("  ")}
            </p>
            <p className="font-mono">{t("pbZigzag", { n: varint.n.toString(), z: varint.z.toString(), hex: hexOf(varint.zigzag) })}</p>
          </>
        ) : (
          <ErrorText>{t("pbNumberError")}</ErrorText>
        )}
      </div>
    </Panel>
  );
}

/** The wire type of the tag at byte `at` of the hex the student wrote (for the error's words). */
function readWireType(hex: string, at: number): number {
  const parsed = readHex(hex);
  return parsed.ok && at < parsed.bytes.length ? parsed.bytes[at]! & 7 : 0;
}
