// The query page's editor: CodeMirror 6 with the SPARQL mode, completion and lint hooks,
// bundled by esbuild into ../sparql-editor.min.js (see README.md here). Exposes
// window.ChainkgEditor.create(parent, {doc, completions, lint, onRun, onChange}); the editor
// lives in an open shadow root of `parent`.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { linter, lintGutter } from "@codemirror/lint";

function create(parent, options) {
  const opts = options || {};
  const words = () => (opts.completions ? opts.completions() : []);
  function complete(context) {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options: words(), validFor: /^[\w:-]*$/ };
  }
  const extensions = [
    basicSetup,
    StreamLanguage.define(sparql),
    autocompletion({ override: [complete], activateOnTyping: true }),
    keymap.of([{ key: "Mod-Enter", run: () => { if (opts.onRun) opts.onRun(); return true; } }]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && opts.onChange) opts.onChange(update.state.doc.toString());
    }),
    EditorView.lineWrapping,
  ];
  extensions.push(EditorView.theme({
    "&": { fontSize: "13px", backgroundColor: "#fff", border: "1px solid #c5ccd3", borderRadius: "4px" },
    ".cm-content": { minHeight: "14em" },
    ".cm-scroller": { fontFamily: "ui-monospace, Menlo, Consolas, monospace", maxHeight: "60vh" },
  }));
  if (opts.lint) {
    extensions.push(lintGutter(), linter((view) => opts.lint(view.state.doc.toString()), { delay: 250 }));
  }
  // Inside a shadow root CodeMirror's styles go into a constructed style sheet, which the
  // page's Content-Security-Policy (style-src 'self') allows; on the document itself they
  // would be an inline <style> element, which it blocks.
  const shadow = parent.attachShadow({ mode: "open" });
  const view = new EditorView({
    state: EditorState.create({ doc: opts.doc || "", extensions }),
    parent: shadow,
    root: shadow,
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus() { view.focus(); },
  };
}

window.ChainkgEditor = { create };
