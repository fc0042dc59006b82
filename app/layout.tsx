import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { I18nProvider } from "./_i18n/client";
import { getLocale, translator } from "./_i18n/server";
import { headers } from "next/headers";
import { PAGE_TOKEN_HEADER, PAGE_TOKEN_META } from "./_components/page-token";
import { LanguageSwitcher } from "./_components/site/language-switcher";
import { SessionLostNotice } from "./_components/site/session-lost-notice";

export async function generateMetadata(): Promise<Metadata> {
  const t = translator(await getLocale(), "common");
  return { title: { default: t("appName"), template: `%s · ${t("appName")}` }, description: t("tagline") };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const t = translator(locale, "common");
  // The host hands each page visit its session's token (server/lab/host.ts); the page's API calls send it.
  const pageToken = (await headers()).get(PAGE_TOKEN_HEADER) ?? "";
  return (
    <html lang={locale}>
      <head>{pageToken && <meta name={PAGE_TOKEN_META} content={pageToken} />}</head>
      {/* Pages are at most 80rem wide; a page with a wide workspace (a lesson's timeline beside its text)
          marks itself data-page-width="wide", and the header, main and footer widen with it. */}
      <body className="min-h-screen font-sans antialiased [--page-max:80rem] has-[[data-page-width=wide]]:[--page-max:120rem]">
        <I18nProvider locale={locale}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-blue-700 focus:px-3 focus:py-2 focus:text-white"
          >
            {t("skipToContent")}
          </a>
          <header className="border-b border-slate-200 dark:border-slate-800">
            <div className="mx-auto flex max-w-(--page-max) flex-wrap items-center justify-between gap-3 px-4 py-3">
              <nav aria-label={t("mainNav")} className="flex flex-wrap items-center gap-x-4 gap-y-1">
                <Link href="/" className="text-lg font-semibold tracking-tight">
                  {t("appName")}
                </Link>
                <Link href="/" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
                  {t("home")}
                </Link>
                <Link href="/tools/struct" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
                  {translator(locale, "structSandbox")("toolsLink")}
                </Link>
                <Link href="/tools/http" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
                  {translator(locale, "httpComposer")("toolsLink")}
                </Link>
                <Link href="/tools/grpc" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
                  {translator(locale, "grpcConsole")("toolsLink")}
                </Link>
              </nav>
              <LanguageSwitcher />
            </div>
          </header>
          <SessionLostNotice />
          <main id="main" className="mx-auto max-w-(--page-max) px-4 py-6">
            {children}
          </main>
          <footer className="mx-auto max-w-(--page-max) px-4 pb-8 text-xs text-slate-500 dark:text-slate-400">{t("footer")}</footer>
        </I18nProvider>
      </body>
    </html>
  );
}
