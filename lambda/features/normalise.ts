import type { Budget, LineItem } from '../contract';
import {
  type BudgetType,
  canonicalBudgetType,
  canonicalExpenseCategory,
  type ExpenseCategory,
} from './categories';
import { VendorAliases } from './vendor-aliases';
import { type VendorKey, vendorKey } from './vendor-similarity';

/** A budget reduced to what the pair features read; computed once per budget per request. */
export interface NormalisedBudget {
  readonly type: BudgetType | undefined;
  readonly vendors: readonly VendorKey[];
  /** Positive actual cost, else undefined. */
  readonly actualCost: number | undefined;
  /** Positive budgeted price, else undefined. */
  readonly price: number | undefined;
  readonly bookedAt: number | undefined;
  readonly tripStart: number | undefined;
  readonly tripEnd: number | undefined;
}

/** A line item reduced to what the pair features read; computed once per item per request. */
export interface NormalisedItem {
  /** Signed amount (negative for refunds and credits); undefined when missing or zero. */
  readonly amount: number | undefined;
  readonly category: ExpenseCategory | undefined;
  /** The folded vendor text, used to compare each distinct vendor once per budget. */
  readonly vendorText: string | undefined;
  readonly vendor: VendorKey | undefined;
  readonly transactedAt: number | undefined;
}

const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/**
 * Normalises budgets and items, remembering what it derived from each distinct text: a user's
 * items repeat the same few vendors, categories and types, so each is folded and classified once.
 * What it remembers of a text depends on that text and the alias table alone, so one Normaliser
 * may serve many requests (`lambda/matcher/match-request.ts` keeps one, bounded by
 * {@link Normaliser.remembered}).
 */
export class Normaliser {
  /** `aliases`: the serving model's vendor alias table (none: every vendor is of no known brand). */
  constructor(private readonly aliases: VendorAliases = VendorAliases.EMPTY) {}

  private readonly vendors = new Map<string, KnownVendor>();
  private readonly categories = new Map<string, ExpenseCategory | undefined>();
  private readonly budgetTypes = new Map<string, BudgetType | undefined>();

  /** How many distinct texts (vendors, category combinations, budget types) it remembers. */
  get remembered(): number {
    return this.vendors.size + this.categories.size + this.budgetTypes.size;
  }

  /** Normalises one parsed budget. */
  budget(budget: Budget): NormalisedBudget {
    const vendors: VendorKey[] = [];
    const travel = this.vendor(budget.travel_vendor_receipts).key;
    if (travel) vendors.push(travel);
    const purchase = this.vendor(budget.purchase_vendor_receipts).key;
    if (purchase && !vendors.some((v) => v.compact === purchase.compact)) vendors.push(purchase);
    let tripStart = budget.start_datetime_trips;
    let tripEnd = budget.end_datetime_trips;
    // A swapped window is still a window.
    if (tripStart !== undefined && tripEnd !== undefined && tripEnd < tripStart) {
      [tripStart, tripEnd] = [tripEnd, tripStart];
    }
    return {
      type: this.budgetType(budget.budget_type_budget),
      vendors,
      actualCost: positive(budget.actual_cost_budget),
      price: positive(budget.budget_price_budget),
      bookedAt: budget.generated_at_budget,
      tripStart,
      tripEnd,
    };
  }

  /** Normalises one parsed line item. */
  item(item: LineItem): NormalisedItem {
    const vendor = this.vendor(item.vendor_name_expense);
    const amount = item.expensed_amount_itemization;
    return {
      amount: amount === 0 ? undefined : amount,
      category: this.category(
        item.expense_category_itemization,
        item.expense_type_name_itemization,
        item.expense_category_expense,
        item.expense_type_name_expense,
      ),
      vendorText: vendor.text,
      vendor: vendor.key,
      transactedAt: item.transaction_date_itemization,
    };
  }

  private vendor(text: string | undefined): { key: VendorKey | undefined; text: string | undefined } {
    if (text === undefined) return NO_VENDOR;
    let known = this.vendors.get(text);
    if (known === undefined) {
      const shared = sharedVendors(this.aliases);
      known = shared.get(text);
      if (known === undefined) {
        const key = vendorKey(text, this.aliases);
        // The brand is part of the text's identity: pairFeatures compares each distinct text once.
        known = {
          key,
          text: key && (key.alias < 0 ? key.tokens.join(' ') : `${key.tokens.join(' ')}#${key.alias}`),
        };
        if (shared.size >= SHARED_VENDORS) shared.clear();
        shared.set(text, known);
      }
      this.vendors.set(text, known);
    }
    return known;
  }

  private budgetType(text: string | undefined): BudgetType | undefined {
    if (text === undefined) return undefined;
    const known = this.budgetTypes.get(text);
    if (known !== undefined || this.budgetTypes.has(text)) return known;
    const type = canonicalBudgetType(text);
    this.budgetTypes.set(text, type);
    return type;
  }

  // The four texts, most specific first (see canonicalExpenseCategory), keyed together: items of
  // one kind repeat the same combination. Each text is prefixed with its length, so no two
  // combinations share a key, and an absent text ('-') differs from any present one.
  private category(...texts: Array<string | undefined>): ExpenseCategory | undefined {
    let key = '';
    for (const t of texts) key += t === undefined ? '-' : `${t.length}:${t}`;
    const known = this.categories.get(key);
    if (known !== undefined || this.categories.has(key)) return known;
    const category = canonicalExpenseCategory(texts);
    this.categories.set(key, category);
    return category;
  }
}

const NO_VENDOR = { key: undefined, text: undefined } as const;

type KnownVendor = { readonly key: VendorKey | undefined; readonly text: string | undefined };

// Vendor texts prepared under each alias table, kept across requests: a user's vendors repeat
// from one request to the next, and a one-pair request spent more on preparing its two vendors
// (folding, trigrams, the alias table) than on scoring them. Bounded: past this it starts over.
const SHARED_VENDORS = 20_000;
const sharedByTable = new WeakMap<VendorAliases, Map<string, KnownVendor>>();

function sharedVendors(aliases: VendorAliases): Map<string, KnownVendor> {
  let shared = sharedByTable.get(aliases);
  if (shared === undefined) {
    shared = new Map();
    sharedByTable.set(aliases, shared);
  }
  return shared;
}

/** Normalises one parsed budget (without a request's caches; see {@link Normaliser}). */
export function normaliseBudget(budget: Budget): NormalisedBudget {
  return new Normaliser().budget(budget);
}

/** Normalises one parsed line item (without a request's caches; see {@link Normaliser}). */
export function normaliseItem(item: LineItem): NormalisedItem {
  return new Normaliser().item(item);
}
