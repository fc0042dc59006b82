// A namespace of UI text in both languages, each message in ICU MessageFormat (see format.ts). Russian must
// have every English key and no other (the type checks it, and app/_i18n/messages.test.ts at run time).

export type Dictionary = Readonly<Record<string, string>>;

export interface Namespace<D extends Dictionary> {
  readonly en: D;
  readonly ru: { readonly [K in keyof D]: string };
}

export function defineMessages<D extends Dictionary>(messages: Namespace<D>): Namespace<D> {
  return messages;
}
