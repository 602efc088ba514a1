export const id = 132;
export const ids = [132];
export const modules = {

/***/ 132:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readBillingUsage: () => (/* binding */ readBillingUsage)
/* harmony export */ });
/* unused harmony exports BillingError, usageQueries */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
/* harmony import */ var _usage_period_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2422);
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
    for (let t = start.getTime(); t <= last; t += _usage_period_js__WEBPACK_IMPORTED_MODULE_1__/* .DAY_MS */ .sO) {
        const d = new Date(t);
        queries.push({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    }
    return queries;
}
function explain(error, entity, apiUrl) {
    const status = error.status;
    const who = `${entity.kind}:${entity.name}`;
    if (status === 401) {
        return new BillingError('The billing API refused the token (401): it is invalid or expired. Create a new token (see docs/permissions.md) and update the secret.', 401);
    }
    if (status === 403 || status === 404) {
        return new BillingError(`The billing API answered ${status} for ${who}: the token may not read its billing usage; ${ACCESS_HINT[entity.kind]}. The default GITHUB_TOKEN cannot read billing (see docs/permissions.md).`, status);
    }
    if (status === 429 || (status !== undefined && status >= 500)) {
        return new BillingError(`The billing API did not answer for ${who} (${status}) after retries with backoff; try again later.`, status);
    }
    const why = error instanceof Error ? error.message : String(error);
    return new BillingError(`Could not read billing usage for ${who} from ${apiUrl}: ${why}`, status);
}
/** Sums the gross quantity of the product's usage items over the current period. */
async function readBillingUsage(request) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(request.token, {
        ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
        retry: { retryAfterBaseValue: request.retryBaseMs ?? 1000 },
        throttle: {
            // Retry a rate-limited request up to twice, after the wait GitHub asks for.
            onRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 2,
            onSecondaryRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 2,
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A);
    const apiUrl = request.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
    let entity = request.entity;
    try {
        if (!entity) {
            const { data } = await octokit.request('GET /user', { headers: HEADERS });
            entity = { kind: 'user', name: data.login };
        }
    }
    catch (error) {
        throw explain(error, { kind: 'user', name: '(the token owner)' }, apiUrl);
    }
    const route = `GET /${SEGMENT[entity.kind]}/{name}/settings/billing/${UNIT_PATH[request.unit]}/usage`;
    const product = request.product.toLowerCase();
    const queries = usageQueries(request.period, request.now);
    let used = 0;
    for (const query of queries) {
        let items;
        try {
            const { data } = await octokit.request(route, {
                name: entity.name,
                ...(entity.member ? { user: entity.member } : {}),
                ...query,
                headers: HEADERS,
            });
            items = data.usageItems;
        }
        catch (error) {
            throw explain(error, entity, apiUrl);
        }
        if (!Array.isArray(items)) {
            throw new BillingError(`The billing API answer for ${entity.kind}:${entity.name} has no usageItems list`);
        }
        for (const item of items) {
            if (String(item.product ?? '').toLowerCase() !== product)
                continue;
            if (typeof item.grossQuantity !== 'number' || !Number.isFinite(item.grossQuantity)) {
                throw new BillingError(`The billing API answer has a usage item without a numeric grossQuantity`);
            }
            used += item.grossQuantity;
        }
    }
    const who = `${entity.kind}:${entity.name}${entity.member ? `/${entity.member}` : ''}`;
    return { used, entity: who, queries: queries.length };
}


/***/ })

};
