"use client";
// An event's dissection as an expandable tree (Wireshark's packet-details pane): frames, then their
// fields with label, value and the field's blurb as its description. Keyboard per the WAI-ARIA APG
// tree view pattern (single select, selection follows focus, roving tabindex). The frames' findings
// are listed below the tree with their severity.

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { fieldText } from "@/app/_i18n/fields";
import { findingText } from "@/app/_i18n/findings";
import type { Frame } from "@/gen/lab/v1/timeline_pb";
import type { TimelineT } from "./describe";
import { buildFieldTree, deepestFieldAt, frameFindings, refKey, visibleNodes, type FieldRef, type TreeNode } from "./model";
import { SeverityBadge } from "./severity-badge";

export interface FieldTreeProps {
  readonly frames: readonly Frame[];
  readonly selected: FieldRef | null;
  readonly onSelect: (ref: FieldRef) => void;
  /** The tree's accessible name; "Fields of the event" when not given. */
  readonly label?: string;
  /** Which nodes start open; by default frames and their top-level fields. */
  readonly openByDefault?: (node: TreeNode) => boolean;
}

/** Frames and their top-level fields start open; deeper nodes open on demand. */
const OPEN_DEPTH = 1;
const openToDepth = (node: TreeNode) => node.depth <= OPEN_DEPTH;

export function FieldTree({ frames, selected, onSelect, label, openByDefault = openToDepth }: FieldTreeProps) {
  const t = useT("timeline");
  const idBase = useId();
  const locale = useLocale();
  const roots = useMemo(() => buildFieldTree(frames, fieldText(locale)), [frames, locale]);
  const byKey = useMemo(() => {
    const map = new Map<string, TreeNode>();
    const add = (nodes: readonly TreeNode[]) => nodes.forEach((node) => (map.set(node.key, node), add(node.children)));
    add(roots);
    return map;
  }, [roots]);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(() => new Map());
  const focusNext = useRef<string | null>(null);

  const selectedNode = selected ? byKey.get(refKey(selected)) : undefined;
  // The selected node's ancestors stay open, so a byte click always shows its field.
  const opened = new Set<string>();
  for (let node = selectedNode?.parent; node; node = node.parent) opened.add(node.key);
  const isExpanded = (node: TreeNode) =>
    node.children.length > 0 && (opened.has(node.key) || (toggled.get(node.key) ?? openByDefault(node)));
  const visible = visibleNodes(roots, isExpanded);
  const tabStop = selectedNode && visible.includes(selectedNode) ? selectedNode.key : visible[0]?.key;
  const itemId = (key: string) => `${idBase}-node-${key}`;

  useEffect(() => {
    if (focusNext.current === null) return;
    document.getElementById(itemId(focusNext.current))?.focus();
    focusNext.current = null;
  });

  function choose(node: TreeNode) {
    focusNext.current = node.key;
    onSelect(node.ref);
  }

  function setExpanded(node: TreeNode, open: boolean) {
    setToggled((current) => new Map(current).set(node.key, open));
    // Collapsing hides the selected descendant: the selection moves up to what stays visible.
    if (!open && opened.has(node.key)) choose(node);
  }

  function onKeyDown(event: React.KeyboardEvent) {
    const key = (event.target as HTMLElement).closest<HTMLElement>("[data-key]")?.dataset.key;
    const index = visible.findIndex((node) => node.key === key);
    const node = visible[index];
    if (!node) return;
    const first = node.children[0];
    const actions: Record<string, () => void> = {
      ArrowDown: () => visible[index + 1] && choose(visible[index + 1]!),
      ArrowUp: () => visible[index - 1] && choose(visible[index - 1]!),
      Home: () => visible[0] && choose(visible[0]),
      End: () => visible.at(-1) && choose(visible.at(-1)!),
      ArrowRight: () => {
        if (!first) return;
        if (isExpanded(node)) choose(first);
        else setExpanded(node, true);
      },
      ArrowLeft: () => {
        if (isExpanded(node)) setExpanded(node, false);
        else if (node.parent) choose(node.parent);
      },
      Enter: () => choose(node),
      " ": () => choose(node),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }

  const findings = useMemo(() => frameFindings(frames), [frames]);

  return (
    <div className="space-y-3">
      <ul role="tree" aria-label={label ?? t("treeLabel")} onKeyDown={onKeyDown} className="text-sm">
        {roots.map((node) => (
          <TreeItem
            key={node.key}
            node={node}
            t={t}
            selectedKey={selectedNode?.key ?? null}
            tabStop={tabStop}
            isExpanded={isExpanded}
            itemId={itemId}
            onChoose={choose}
            onToggle={(n) => setExpanded(n, !isExpanded(n))}
          />
        ))}
      </ul>
      {findings.length > 0 && (
        <section aria-labelledby={`${idBase}-findings`}>
          <h4 id={`${idBase}-findings`} className="mb-1 text-sm font-semibold">
            {t("findingsHeading")}
          </h4>
          <ul className="space-y-1 text-sm">
            {findings.map((finding, index) => (
              <li key={index} className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={finding.severity} />
                <code className="font-mono text-xs">{finding.code}</code>
                <span>{findingText(locale, finding)}</span>
                <button
                  type="button"
                  aria-label={t("showFindingBytes", { code: finding.code })}
                  onClick={() => onSelect(deepestFieldAt(frames, finding.offset) ?? { frame: finding.frame, path: "" })}
                  className="rounded px-1.5 text-xs text-blue-800 underline hover:bg-slate-100 dark:text-sky-300 dark:hover:bg-slate-800"
                >
                  {t("showBytes")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface TreeItemProps {
  readonly node: TreeNode;
  readonly t: TimelineT;
  readonly selectedKey: string | null;
  readonly tabStop: string | undefined;
  readonly isExpanded: (node: TreeNode) => boolean;
  readonly itemId: (key: string) => string;
  readonly onChoose: (node: TreeNode) => void;
  readonly onToggle: (node: TreeNode) => void;
}

function TreeItem(props: TreeItemProps) {
  const { node, t, itemId } = props;
  const selected = node.key === props.selectedKey;
  const parent = node.children.length > 0;
  const expanded = props.isExpanded(node);
  const id = itemId(node.key);
  return (
    <li
      role="treeitem"
      id={id}
      data-key={node.key}
      aria-selected={selected}
      aria-expanded={parent ? expanded : undefined}
      aria-labelledby={`${id}-label`}
      aria-describedby={`${id}-about`}
      tabIndex={node.key === props.tabStop ? 0 : -1}
      onClick={(event) => {
        event.stopPropagation();
        props.onChoose(node);
      }}
      className="outline-none [&:focus-visible>div:first-child]:outline-2 [&:focus-visible>div:first-child]:outline-blue-700 dark:[&:focus-visible>div:first-child]:outline-sky-300"
    >
      <div
        style={{ paddingLeft: node.depth * 16 + 4 }}
        className={`flex cursor-pointer items-baseline gap-1 rounded py-0.5 pr-2 ${
          selected ? "bg-sky-100 dark:bg-sky-950" : "hover:bg-slate-100 dark:hover:bg-slate-800"
        }`}
      >
        <span
          aria-hidden="true"
          onClick={(event) => {
            if (!parent) return;
            event.stopPropagation();
            props.onToggle(node);
          }}
          className="inline-block w-4 shrink-0 text-center text-slate-600 dark:text-slate-400"
        >
          {parent ? (expanded ? "▾" : "▸") : ""}
        </span>
        <span id={`${id}-label`} className="min-w-0 break-words">
          <span className={node.depth === 0 ? "font-semibold" : "font-medium"}>{node.label}</span>
          {node.display !== "" && (
            <>
              {": "}
              <span className="font-mono text-[13px]">{node.display}</span>
            </>
          )}
        </span>
      </div>
      <p
        id={`${id}-about`}
        hidden={!selected}
        style={{ paddingLeft: node.depth * 16 + 24 }}
        className="pb-1 pr-2 text-xs text-slate-700 dark:text-slate-300"
      >
        {node.blurb !== "" && <span className="block">{node.blurb}</span>}
        <span className="block text-slate-600 dark:text-slate-400">{byteRangeText(t, node)}</span>
      </p>
      {parent && expanded && (
        <ul role="group">
          {node.children.map((child) => (
            <TreeItem key={child.key} {...props} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

function byteRangeText(t: TimelineT, node: TreeNode): string {
  if (node.length === 0) return t("fieldEmpty", { start: node.start });
  const range =
    node.length === 1
      ? t("fieldByte", { start: node.start })
      : t("fieldRange", { start: node.start, end: node.start + node.length - 1, n: node.length });
  if (node.bitmask === 0) return range;
  return `${range} · ${t("fieldMask", { mask: `0x${node.bitmask.toString(16).padStart(2, "0")}` })}`;
}
