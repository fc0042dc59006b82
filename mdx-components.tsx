// @next/mdx needs this file at the root of an App Router project: the components every MDX module renders
// with. The only MDX here is the lessons' (app/lessons/<id>/content.<locale>.mdx), so they are the lesson
// kit's (app/_components/lesson-kit/mdx.tsx).

import type { MDXComponents } from "mdx/types";
import { lessonMdxComponents } from "@/app/_components/lesson-kit/mdx";

export function useMDXComponents(): MDXComponents {
  return lessonMdxComponents;
}
