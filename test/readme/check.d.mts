export interface Block {
  /** The page line of the block's first code line (1-based). */
  line: number;
  lang: string;
  code: string;
  files: string[];
  demos: string[];
  skip: boolean;
}
export interface Checked {
  problems: string[];
  checked: number;
}
export const DEMO_SOURCES: string[];
export function extractBlocks(markdown: string, name?: string): Block[];
export function withoutDemoOnly(source: string): string;
export function firstDifference(block: string, demo: string): { line: number; readme: string; demo: string } | null;
export function checkReadme(options: { markdown: string; dir: string; demos?: string[]; readmeName?: string }): Promise<Checked>;
export function checkPages(options: { pages: { name: string; markdown: string }[]; dir: string; demos?: string[] }): Promise<Checked>;
export function documentedPages(): Promise<string[]>;
