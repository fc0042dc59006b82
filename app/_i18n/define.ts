// A namespace of UI text in both languages. Russian must have every English key (the type checks it).

import type { Message } from "./format";

export type Dictionary = Readonly<Record<string, Message>>;

export interface Namespace<D extends Dictionary> {
  readonly en: D;
  readonly ru: { readonly [K in keyof D]: D[K] extends string ? string : Message };
}

export function defineMessages<D extends Dictionary>(messages: Namespace<D>): Namespace<D> {
  return messages;
}
