/** Sibling keys of the course's items (domain/siblings.ts), computed once per loaded course. */
import { getContentItem, getCourse } from "~/content/course.server";
import { siblingKeys, type SiblingKeys } from "~/domain/siblings";

const byCourse = new WeakMap<object, Map<string, readonly string[]>>();
const NONE: readonly string[] = [];

export const courseSiblingKeys: SiblingKeys = (itemId) => {
  const { course } = getCourse();
  let keys = byCourse.get(course);
  if (!keys) byCourse.set(course, (keys = new Map()));
  let k = keys.get(itemId);
  if (!k) {
    const item = getContentItem(itemId);
    const body = item ? (item.kind === "card" ? item.card : item.kind === "quiz" ? item.question : item.exercise) : null;
    k = body ? siblingKeys(item!.topic.slug, body.section, body.tags) : NONE;
    keys.set(itemId, k);
  }
  return k;
};
