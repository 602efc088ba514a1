export const id = 132;
export const ids = [132];
export const modules = {

/***/ 132:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readBillingUsage: () => (/* binding */ readBillingUsage)
/* harmony export */ });
/* unused harmony exports BillingError, usageQueries, usageOf */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _usage_period_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2422);
/* harmony import */ var _request_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7398);
/**
 * Usage from GitHub's billing API (AI credits or premium requests). Loaded only when a token is
 * given, so a run without one never pays for the API client's start.
 */



/** A failure with a message that says what to do; never holds the token. */
class BillingError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'BillingError';
    }
}
const HEADERS = { 'X-GitHub-Api-Version': '2022-11-28' };
const SEGMENT = {
    user: 'users',
    org: 'organizations',
    enterprise: 'enterprises',
};
const UNIT_PATH = {
    'ai-credits': 'ai_credit',
    'premium-requests': 'premium_request',
};
/** What a 403 or 404 means for each kind of entity. */
const ACCESS_HINT = {
    user: "the user endpoint needs a fine-grained token of that user with the account permission 'Plan: read'",
    org: "the organization endpoint needs a token of an organization owner or billing manager (fine-grained: the organization permission 'Administration: read')",
    enterprise: 'the enterprise endpoint needs a classic token of an enterprise owner or billing manager',
};
/** The queries that cover a period up to now: a whole month when the period is one, else days. */
function usageQueries(period, now) {
    const start = period.start;
    const wholeMonth = start.getUTCDate() === 1 &&
        period.end.getUTCDate() === 1 &&
        (period.end.getUTCMonth() - start.getUTCMonth() + 12) % 12 === 1;
    if (wholeMonth)
        return [{ year: start.getUTCFullYear(), month: start.getUTCMonth() + 1 }];
    const queries = [];
    const last = Math.min(now.getTime(), period.end.getTime() - 1);
    for (let t = start.getTime(); t <= last; t += _usage_period_js__WEBPACK_IMPORTED_MODULE_2__/* .DAY_MS */ .sO) {
        const d = new Date(t);
        queries.push({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    }
    return queries;
}
/** At most this much of a server's own message is quoted. */
const MESSAGE_CHARS = 300;
/** A value from the API as messages quote it: on one line, bounded in length. */
function shown(value) {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
function explain(error, entity, apiUrl, attempts) {
    const who = `${entity.kind}:${entity.name}`;
    if (error instanceof _request_js__WEBPACK_IMPORTED_MODULE_1__/* .OutOfTime */ .fg) {
        const last = error.last;
        const status = last instanceof _request_js__WEBPACK_IMPORTED_MODULE_1__/* .TimedOut */ .GA ? undefined : last?.status;
        return new BillingError(`The billing API did not answer for ${who}${status ? ` (last answer ${status})` : ''}: ${error.message}; the billing-timeout input sets the budget (${error.budgetMs / 1000} s).`, status);
    }
    if (error instanceof _request_js__WEBPACK_IMPORTED_MODULE_1__/* .TimedOut */ .GA) {
        return new BillingError(`The billing API did not answer for ${who}: ${error.message}, ${attempts} times; try again later.`);
    }
    const status = error.status;
    if (status === 401) {
        return new BillingError('The billing API refused the token (401): it is invalid or expired. Create a new token (see docs/permissions.md) and update the secret.', 401);
    }
    if (status === 403 && (0,_request_js__WEBPACK_IMPORTED_MODULE_1__/* .askedWait */ .Uy)(error) !== undefined) {
        return new BillingError(`The billing API rate-limited the token for ${who} (403) after ${attempts} attempts; try again later.`, status);
    }
    if (status === 403 || status === 404) {
        return new BillingError(`The billing API answered ${status} for ${who}: the token may not read its billing usage; ${ACCESS_HINT[entity.kind]}. The default GITHUB_TOKEN cannot read billing (see docs/permissions.md).`, status);
    }
    const why = error instanceof Error ? error.message : String(error);
    const clipped = why.length > MESSAGE_CHARS ? `${why.slice(0, MESSAGE_CHARS)}…` : why;
    if (error.response === undefined && status === 500) {
        // Octokit gives a network failure status 500 without a response: say what failed.
        return new BillingError(`Could not reach the billing API at ${apiUrl} for ${who} after ${attempts} attempts: ${clipped}`);
    }
    if (status === 429 || (status !== undefined && status >= 500)) {
        return new BillingError(`The billing API did not answer for ${who} (${status}) after ${attempts} attempts with backoff; try again later.`, status);
    }
    return new BillingError(`Could not read billing usage for ${who} from ${apiUrl}: ${clipped}`, status);
}
/** A GitHub login: letters, digits and hyphens, as GitHub allows them. */
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/**
 * The usage of one answer: every field used is checked, so a negative, missing or huge quantity
 * is refused by name instead of turning into a wrong figure (or Infinity in the history).
 */
function usageOf(data, product, where) {
    const bad = (field, value, expected) => new BillingError(`The billing API answer for ${where} has ${field} = ${shown(value)}; expected ${expected}.`);
    const items = data?.usageItems;
    if (!Array.isArray(items)) {
        throw new BillingError(`The billing API answer for ${where} has no usageItems list`);
    }
    let used = 0;
    items.forEach((item, i) => {
        const field = `usageItems[${i}]`;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw bad(field, item, 'an object');
        }
        const { product: name, unitType, grossQuantity } = item;
        if (typeof name !== 'string')
            throw bad(`${field}.product`, name, 'a product name');
        if (name.toLowerCase() !== product)
            return;
        if (unitType !== undefined && typeof unitType !== 'string') {
            throw bad(`${field}.unitType`, unitType, 'a unit name');
        }
        if (typeof grossQuantity !== 'number' || !Number.isFinite(grossQuantity) || grossQuantity < 0) {
            throw bad(`${field}.grossQuantity`, grossQuantity, 'a finite number of 0 or more');
        }
        used += grossQuantity;
        if (!Number.isFinite(used)) {
            throw new BillingError(`The billing API answer for ${where} has quantities whose sum is not a finite number (at ${field}.grossQuantity); it cannot be real usage.`);
        }
    });
    return used;
}
/** Sums the gross quantity of the product's usage items over the current period. */
async function readBillingUsage(request) {
    // No retry or throttling plugin: the one policy of ./request.ts decides every retry.
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(request.token, request.baseUrl ? { baseUrl: request.baseUrl } : {});
    const budget = new _request_js__WEBPACK_IMPORTED_MODULE_1__/* .Budget */ .__({
        ...request.policy,
        budgetMs: (request.budgetSeconds ?? _request_js__WEBPACK_IMPORTED_MODULE_1__/* .POLICY */ .Po.budgetSeconds) * 1000,
        ...(request.retryBaseMs !== undefined ? { retryBaseMs: request.retryBaseMs } : {}),
    });
    const apiUrl = request.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
    let entity = request.entity;
    if (!entity) {
        const owner = { kind: 'user', name: '(the token owner)' };
        let login;
        try {
            const { data } = await budget.run((signal) => octokit.request('GET /user', { headers: HEADERS, request: { signal } }));
            login = data?.login;
        }
        catch (error) {
            throw explain(error, owner, apiUrl, budget.options.attempts);
        }
        if (typeof login !== 'string' || !LOGIN.test(login)) {
            throw new BillingError(`The billing API answer to GET /user has login = ${shown(login)}; expected a GitHub login (letters, digits and hyphens). Set billing-entity to name the account.`);
        }
        entity = { kind: 'user', name: login };
    }
    const route = `GET /${SEGMENT[entity.kind]}/{name}/settings/billing/${UNIT_PATH[request.unit]}/usage`;
    const product = request.product.toLowerCase();
    const queries = usageQueries(request.period, request.now);
    const who = `${entity.kind}:${entity.name}${entity.member ? `/${entity.member}` : ''}`;
    let used = 0;
    for (const query of queries) {
        let data;
        try {
            ({ data } = await budget.run((signal) => octokit.request(route, {
                name: entity.name,
                ...(entity?.member ? { user: entity.member } : {}),
                ...query,
                headers: HEADERS,
                request: { signal },
            })));
        }
        catch (error) {
            throw explain(error, entity, apiUrl, budget.options.attempts);
        }
        const when = `${query.year}-${String(query.month).padStart(2, '0')}${query.day ? `-${String(query.day).padStart(2, '0')}` : ''}`;
        used += usageOf(data, product, `${who} (${when})`);
        if (!Number.isFinite(used)) {
            throw new BillingError(`The billing usage for ${who} sums to more than a number can hold; it cannot be real usage.`);
        }
    }
    return { used, entity: who, queries: queries.length };
}


/***/ })

};
