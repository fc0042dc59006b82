"use client";
// Rows of name and value (request headers, form fields): each input named by its row's number, a remove button per
// row and an add button below, all reachable by keyboard.

import { buttonSmall, inputClass } from "../lesson-kit/ui";
import type { Field } from "./model";

export interface FieldsEditorLabels {
  readonly name: (n: number) => string;
  readonly value: (n: number) => string;
  readonly remove: (n: number) => string;
  readonly add: string;
}

export function FieldsEditor({ fields, onChange, labels }: { fields: readonly Field[]; onChange: (next: Field[]) => void; labels: FieldsEditorLabels }) {
  const set = (i: number, patch: Partial<Field>) => onChange(fields.map((f, k) => (k === i ? { ...f, ...patch } : f)));
  return (
    <div className="space-y-2">
      {fields.length > 0 && (
        <ul className="space-y-2">
          {fields.map((f, i) => (
            // Rows have no identity of their own: the index is what the labels say too.
            <li key={i} className="flex flex-wrap items-center gap-2 sm:flex-nowrap">
              <input
                aria-label={labels.name(i + 1)}
                value={f.name}
                onChange={(e) => set(i, { name: e.target.value })}
                spellCheck={false}
                autoComplete="off"
                className={`${inputClass} sm:w-48 sm:flex-none`}
              />
              <input
                aria-label={labels.value(i + 1)}
                value={f.value}
                onChange={(e) => set(i, { value: e.target.value })}
                spellCheck={false}
                autoComplete="off"
                className={`${inputClass} flex-1 basis-40`}
              />
              <button type="button" className={buttonSmall} aria-label={labels.remove(i + 1)} onClick={() => onChange(fields.filter((_, k) => k !== i))}>
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className={buttonSmall} onClick={() => onChange([...fields, { name: "", value: "" }])}>
        {labels.add}
      </button>
    </div>
  );
}
