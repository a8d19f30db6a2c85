import { expect } from "vitest";
import { demo, type TestApp } from "./testApp";

/**
 * Creates a collective action through the real route, as the direction unless told otherwise, and
 * returns its id; the test fails there, with the response's body, if the route refuses it.
 */
export async function createCollectiveAction(
  t: TestApp,
  body: object,
  email: string = demo.manager,
): Promise<string> {
  const response = await t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/collective-actions`,
    headers: await t.sessionFor(email),
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().id;
}
