// The names of the kit's blocks, which a lesson's MDX uses without importing them (mdx.tsx renders them;
// mdx-components.tsx hands them to @next/mdx). A plain list, so that app/lessons/lessons.test.ts can check
// the MDX files against it without loading the components.

export const LESSON_MDX_BLOCKS = ["LessonHeader", "Lede", "Toc", "Section", "Panels", "LessonAside", "LessonTimeline", "ServicePort"] as const;
export type LessonMdxBlock = (typeof LESSON_MDX_BLOCKS)[number];
