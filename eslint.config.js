import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "app/generated/**", "node_modules/**", "content/**", "test-results/**", "playwright-report/**", "tests/.tmp/**", ".cache/**", "public/exercise-worker.js", "public/exercise-judge.js", "public/python-*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-implied-eval": "off",
      "no-new-func": "off",
    },
  },
  {
    // The domain layer is pure: no Remix, no Prisma, no Node.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "@remix-run/*", "@prisma/*", "~/generated/*", "*.server", "~/db/*"], message: "app/domain/ is pure: no I/O, no framework imports." }] },
      ],
    },
  },
);
