// Text from the dictionaries that panels show: `backticks` mark code (call names, bytes), which is the only
// markup a panel's text needs. No HTML is ever taken from a string. Code is also what inline code in a
// lesson's MDX prose renders as (mdx.tsx), so both look the same.

export function Code({ children }: { children: React.ReactNode }) {
  return (
    <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.9em] text-slate-900 dark:bg-slate-800 dark:text-slate-100">
      {children}
    </code>
  );
}

export function Rich({ text }: { text: string }) {
  const parts = text.split("`");
  // Odd indices were between backticks.
  return <>{parts.map((part, i) => (i % 2 === 1 ? <Code key={i}>{part}</Code> : part))}</>;
}

export function Paragraphs({ texts, className }: { texts: readonly string[]; className?: string }) {
  return (
    <>
      {texts.map((text, i) => (
        <p key={i} className={className ?? "leading-relaxed text-slate-800 dark:text-slate-200"}>
          <Rich text={text} />
        </p>
      ))}
    </>
  );
}
