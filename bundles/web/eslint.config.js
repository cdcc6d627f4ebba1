// ESLint (flat config) for the page's modules and their tests: ESLint's recommended rules, the browser's globals
// for the page and Node's for the tests. The format is Prettier's (-Ppage-format), so no rule here is about it.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "target/"] },
  js.configs.recommended,
  {
    files: ["src/main/resources/web/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Build the DOM with textContent: no HTML from data." },
        { property: "outerHTML", message: "Build the DOM with textContent: no HTML from data." },
        { property: "insertAdjacentHTML", message: "Build the DOM with textContent: no HTML from data." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='write'][callee.object.name='document']",
          message: "No document.write: build the DOM with textContent.",
        },
      ],
    },
  },
  {
    files: ["src/test/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
