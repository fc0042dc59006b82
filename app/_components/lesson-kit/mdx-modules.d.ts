// Types of a lesson's MDX module (app/lessons/<id>/content.<locale>.mdx): @types/mdx gives the default
// export, the component; each lesson also exports its meta. A script, not a module, so that it augments.

/// <reference types="mdx" />

declare module "*.mdx" {
  export const meta: import("./lesson-page").LessonMeta;
}
