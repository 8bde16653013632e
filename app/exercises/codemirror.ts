/**
 * CodeMirror 6 for the exercise page. Loaded with a dynamic import() from the
 * editor component, so only this page downloads it; until it arrives (or if it
 * never does) the server-rendered <textarea> is the editor.
 */
import { basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { tags } from "@lezer/highlight";

/**
 * CodeMirror's default colours, darkened where they fell under 4.5:1 contrast on white (WCAG AA),
 * as CSS variables (app.css): the dark theme gives each a light counterpart without a second editor theme.
 */
const accessibleHighlight = HighlightStyle.define([
  { tag: tags.meta, color: "var(--cm-meta)" },
  { tag: tags.link, textDecoration: "underline" },
  { tag: tags.heading, textDecoration: "underline", fontWeight: "bold" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: tags.keyword, color: "var(--cm-keyword)" },
  { tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName], color: "var(--cm-atom)" },
  { tag: [tags.literal, tags.inserted], color: "var(--cm-literal)" },
  { tag: [tags.string, tags.deleted], color: "var(--cm-string)" },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: "var(--cm-regexp)" },
  { tag: tags.definition(tags.variableName), color: "var(--cm-def)" },
  { tag: tags.local(tags.variableName), color: "var(--cm-local)" },
  { tag: [tags.typeName, tags.namespace], color: "var(--cm-type)" },
  { tag: tags.className, color: "var(--cm-class)" },
  { tag: [tags.special(tags.variableName), tags.macroName], color: "var(--cm-special)" },
  { tag: tags.definition(tags.propertyName), color: "var(--cm-prop)" },
  { tag: tags.comment, color: "var(--cm-comment)" },
  { tag: tags.invalid, color: "var(--cm-invalid)" },
]);

export interface CodeMirrorOptions {
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  onChange: (code: string) => void;
  labelledBy: string;
  describedBy?: string;
  /** Python's mode is loaded on demand, only when a Python exercise asks for it. */
  language?: "javascript" | "python";
}

export interface CodeMirrorHandle {
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
  destroy(): void;
  setLanguage(language: "javascript" | "python"): void;
}

async function languageSupport(language: "javascript" | "python"): Promise<Extension> {
  // Python lines wrap: a scroller that scrolls sideways is a region the keyboard cannot reach (axe).
  if (language === "python") return [(await import("@codemirror/lang-python")).python(), EditorView.lineWrapping];
  return javascript({ typescript: true });
}

export function createCodeMirror(parent: HTMLElement, doc: string, options: CodeMirrorOptions): CodeMirrorHandle {
  const contentAttributes: Record<string, string> = { "aria-labelledby": options.labelledBy, spellcheck: "false", autocapitalize: "off", autocorrect: "off" };
  if (options.describedBy) contentAttributes["aria-describedby"] = options.describedBy;
  const languageSlot = new Compartment();
  // Python blocks are indented by four spaces (as the starters are); Tab follows.
  let indent = options.language === "python" ? "    " : "  ";
  let wanted = options.language ?? "javascript";
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(
          keymap.of([
            {
              key: "Mod-Enter",
              run: () => {
                options.onRun();
                return true;
              },
            },
            {
              // Tab indents. Escape then Tab leaves the editor (CodeMirror's tab focus mode), so the keyboard is never trapped.
              key: "Tab",
              run: (v) => {
                v.dispatch(v.state.replaceSelection(indent), { scrollIntoView: true, userEvent: "input" });
                return true;
              },
            },
          ]),
        ),
        basicSetup,
        syntaxHighlighting(accessibleHighlight),
        languageSlot.of(wanted === "python" ? EditorView.lineWrapping : javascript({ typescript: true })),
        EditorState.tabSize.of(2),
        EditorView.contentAttributes.of(contentAttributes),
        // Long lines wrap: the editor sits in a column beside the task on wide screens and is
        // the full width at 320 px; a sideways-scrolling region would need its own keyboard access.
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  const setLanguage = (language: "javascript" | "python") => {
    wanted = language;
    indent = language === "python" ? "    " : "  ";
    void languageSupport(language).then(
      (ext) => {
        if (wanted === language) view.dispatch({ effects: languageSlot.reconfigure(ext) });
      },
      () => {}, // no highlighting is still an editor
    );
  };
  if (wanted === "python") setLanguage("python");
  return {
    setLanguage,
    getCode: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code }, selection: { anchor: 0 } }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
