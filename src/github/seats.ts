/**
 * The organization's Copilot seats: `GET /orgs/{org}/copilot/billing` answers the seat breakdown
 * in one request (listing every seat would take a page per hundred). Needs an organization
 * owner's token: fine-grained "GitHub Copilot Business" or "Administration" organization
 * permission (read); classic `manage_billing:copilot` or `read:org`.
 */
import { ApiError, type GitHubApi } from './api.js';

/** Seats billed this cycle (`seat_breakdown.total`). */
export async function readSeats(api: GitHubApi, org: string): Promise<number> {
  const answer = await api.get(`/orgs/${encodeURIComponent(org)}/copilot/billing`);
  if (answer.status === 404) {
    throw new ApiError(
      `GET /orgs/${org}/copilot/billing answered 404: the organization has no Copilot Business or Enterprise subscription, or the token may not read it (an owner's token with the organization permission "GitHub Copilot Business: read" or "Administration: read"). Give quota as a number instead of seats.`,
      404,
    );
  }
  const total = (answer.data as { seat_breakdown?: { total?: unknown } } | undefined)
    ?.seat_breakdown?.total;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw new ApiError(
      `GET /orgs/${org}/copilot/billing has seat_breakdown.total = ${JSON.stringify(total)?.slice(0, 40)}; expected a whole number of seats.`,
    );
  }
  return total;
}
