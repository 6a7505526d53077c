/**
 * The server names sections as the API does (`sections[0]`, zero-based, and area ids); the
 * create and edit screens number them from 1 ("Section 1") and show area names. This rewrites
 * a section error's message in the screen's words, so "Overlaps sections[0] (microservices, …)"
 * reads "Overlaps Section 1 (Microservices, …)" under Section 2.
 */
export function inScreenWords(
  message: string,
  areaName: (id: string) => string | undefined,
): string {
  return message
    .replace(/\bsections\[(\d+)\]/g, (_, i: string) => `Section ${Number(i) + 1}`)
    .replace(
      /(^|\()([a-z][a-z-]*[a-z])(?=[:,)]| at difficulty)/g,
      (whole, before: string, id: string) => {
        const name = areaName(id);
        return name ? `${before}${name}` : whole;
      },
    );
}
