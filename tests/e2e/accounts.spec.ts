import { expect, expectAccessible, PASSWORD, signUp, studyLesson, test } from "./fixtures";
import { rowsOfUser } from "./db";

async function logIn(page: import("@playwright/test").Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

test("sign up, log out, log in, change password, log in with the new one", async ({ page }) => {
  const { username } = await signUp(page);
  await page.goto("/account");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await logIn(page, username, "not the password at all");
  await expect(page.getByRole("alert")).toHaveText("That username and password do not match an account.");
  await expectAccessible(page);

  await logIn(page, username.toUpperCase(), PASSWORD); // usernames are case-insensitive
  await expect(page.getByRole("link", { name: `Account: ${username}` })).toBeVisible();

  const newPassword = "a much better passphrase";
  await page.goto("/account");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await logIn(page, username, PASSWORD);
  await expect(page.getByRole("alert")).toBeVisible();
  await logIn(page, username, newPassword);
  await expect(page.getByRole("link", { name: `Account: ${username}` })).toBeVisible();
});

test("sign-up returns the learner to where they were", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Freview/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await signUpHere(page);
  await expect(page).toHaveURL(/\/review$/);
});

async function signUpHere(page: import("@playwright/test").Page) {
  const name = `back${Date.now().toString(36)}`;
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat the password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("a deleted account cannot log in and its rows are gone", async ({ page }) => {
  const { username } = await signUp(page);
  // Make some data: study a lesson, review a card, save settings.
  await studyLesson(page, "attention");
  await page.goto("/review", { waitUntil: "networkidle" });
  await page.getByRole("button", { name: /Show answer/ }).click();
  await page.getByRole("button", { name: /Good/ }).click();
  await expect(page.getByText(/1 done/)).toBeVisible();
  await expect(page.getByText("unsaved")).toHaveCount(0);
  const exported = await (await page.request.get("/account/export")).json();
  const userId = exported.user.id as string;
  expect((await rowsOfUser(userId)).ReviewLog).toBeGreaterThan(0);

  await page.goto("/account");
  await page.getByLabel("Your password, to confirm").fill(PASSWORD);
  await page.getByRole("button", { name: "Delete my account and data" }).click();
  await expect(page.getByText("Your account and all of its data were deleted.")).toBeVisible();
  const rows = await rowsOfUser(userId);
  expect(Object.values(rows).every((n) => n === 0), JSON.stringify(rows)).toBe(true);

  await logIn(page, username, PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("That username and password do not match an account.");
});

test("download my data is JSON of everything about the learner", async ({ page }) => {
  const { username } = await signUp(page);
  const res = await page.request.get("/account/export");
  expect(res.headers()["content-type"]).toContain("application/json");
  expect(res.headers()["content-disposition"]).toContain("attachment");
  const body = await res.json();
  expect(body.user.username).toBe(username);
  for (const key of ["settings", "itemStates", "reviewLogs", "quizAttempts", "quizAnswers", "exerciseAttempts"]) expect(body).toHaveProperty(key);
  expect(JSON.stringify(body)).not.toContain("scrypt");
});
