/**
 * Public catalog: query and path values as real clients send them — Python's `True`, huge page numbers,
 * non-ASCII searches, over-long keys. None of them may be refused for the wrong reason or reach a 500.
 */
import { describe, expect, it } from 'vitest';
import { api, expectProblem, json } from './helpers/http';
import { makeCategory, makeProduct } from './helpers/factories';

const iso = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

async function names(categoryId: number, qs: string): Promise<string[]> {
  const res = await api('GET', `/api/v1/products/?category=${categoryId}&${qs}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json(res)).results.map((p: { name: string }) => p.name);
}

describe('search', () => {
  it('ignores case beyond ASCII (SQLite LIKE folds ASCII only)', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'Éclair Tin', description: 'for pâtisserie', createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'Straße Map', description: 'ΑΘΗΝΑ edition', createdAt: iso(2) });
    await makeProduct({ categoryId: cat.id, name: 'Plain', description: 'nothing special', createdAt: iso(3) });
    expect(await names(cat.id, `search=${encodeURIComponent('éclair')}`)).toEqual(['Éclair Tin']);
    expect(await names(cat.id, `search=${encodeURIComponent('ÉCLAIR')}`)).toEqual(['Éclair Tin']);
    expect(await names(cat.id, `search=${encodeURIComponent('PÂTISSERIE')}`)).toEqual(['Éclair Tin']);
    expect(await names(cat.id, `search=${encodeURIComponent('αθηνα')}`)).toEqual(['Straße Map']);
    expect(await names(cat.id, `search=${encodeURIComponent('STRAßE')}`)).toEqual(['Straße Map']);
  });

  it('answers searches up to the 200-character maximum (FTS5; D1 refused LIKE patterns over 50 bytes)', async () => {
    const cat = await makeCategory();
    const long = `${'Extraordinarily long product name '.repeat(6)}end`.slice(0, 200);
    await makeProduct({ categoryId: cat.id, name: 'Short', description: long, createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'Grüße aus Köln', createdAt: iso(2) });
    expect(await names(cat.id, `search=${encodeURIComponent(long.toUpperCase())}`)).toEqual(['Short']);
    expect(await names(cat.id, `search=${encodeURIComponent(long.slice(0, 49))}`)).toEqual(['Short']);
    expect(await names(cat.id, `search=${'z'.repeat(200)}`)).toEqual([]);
    expect(await names(cat.id, `search=${encodeURIComponent('é'.repeat(100))}`)).toEqual([]);
    expect(await names(cat.id, `search=${encodeURIComponent('GRÜ KÖL')}`)).toEqual(['Grüße aus Köln']);
    const cyrillic = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'.repeat(6);
    expect(await names(cat.id, `search=${encodeURIComponent(cyrillic)}`)).toEqual([]);
  });

  it('never lets search text act as SQL or FTS5 syntax (wildcards, operators, punctuation)', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'Star * Lamp', createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'What? Mug', createdAt: iso(2) });
    await makeProduct({ categoryId: cat.id, name: 'Box [XL]', createdAt: iso(3) });
    await makeProduct({ categoryId: cat.id, name: 'Starry Lamp', createdAt: iso(4) });
    // Punctuation only separates words (FTS5 unicode61 tokenizer): a search of punctuation alone matches nothing.
    expect(await names(cat.id, 'search=*')).toEqual([]);
    expect(await names(cat.id, 'search=%3F')).toEqual([]);
    expect(await names(cat.id, 'search=%25')).toEqual([]);
    expect(await names(cat.id, `search=${encodeURIComponent('[xl]')}`)).toEqual(['Box [XL]']);
    expect(await names(cat.id, `search=${encodeURIComponent('[a-z]')}`)).toEqual([]);
    expect(await names(cat.id, `search=${encodeURIComponent('star* OR what NEAR(mug)')}`)).toEqual([]);
    expect((await names(cat.id, `search=${encodeURIComponent('star lamp')}`)).sort()).toEqual(['Star * Lamp', 'Starry Lamp']);
  });
});

describe('in_stock', () => {
  it('accepts True/False and 1/0 as django-filter does; anything else is a 400', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'none left', stock: 0, createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'plenty', stock: 5, createdAt: iso(2) });
    for (const v of ['true', 'True', 'TRUE', '1']) expect(await names(cat.id, `in_stock=${v}`), v).toEqual(['plenty']);
    for (const v of ['false', 'False', '0']) expect(await names(cat.id, `in_stock=${v}`), v).toEqual(['none left']);
    for (const v of ['yes', '2', 'constructor', '__proto__']) {
      const body = await expectProblem(await api('GET', `/api/v1/products/?in_stock=${v}`), 400, 'validation_error');
      expect(body.errors?.map((e) => e.field)).toEqual(['in_stock']);
    }
  });
});

describe('validation errors', () => {
  it('are listed in the order of the query\'s fields, those with a transform (page, min_price) included', async () => {
    const res = await api('GET', '/api/v1/products/?ordering=cheapest&min_price=x&page=0&in_stock=maybe');
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors).toEqual([
      { field: 'page', message: 'must be a positive integer' },
      { field: 'min_price', message: 'must be a non-negative amount with at most two decimals, e.g. "19.99"' },
      { field: 'in_stock', message: 'must be "true" or "false"' },
      { field: 'ordering', message: 'must be one of: price, -price, name, -name, created_at, -created_at, rating, -rating' },
    ]);
  });
});

describe('page numbers beyond 2^53', () => {
  it('answers a huge page as past the end (404) and caps a huge page_size, on every paginated route', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id });
    for (const path of ['/api/v1/products/', '/api/v1/categories/', `/api/v1/products/${p.id}/reviews/`]) {
      for (const page of ['99999999999999999999', '1e20', '9007199254740993']) {
        await expectProblem(await api('GET', `${path}?page=${page}`), 404, 'not_found');
      }
      const res = await api('GET', `${path}?page_size=99999999999999999999`);
      expect(res.status, path).toBe(200);
    }
    const capped = await json(await api('GET', '/api/v1/products/?page_size=1e20'));
    expect(capped.results.length).toBeLessThanOrEqual(100);
    for (const bad of ['1.5', 'abc', '0', '-1', 'Infinity']) {
      const body = await expectProblem(await api('GET', `/api/v1/products/?page=${bad}`), 400, 'validation_error');
      expect(body.errors?.map((e) => e.field)).toEqual(['page']);
    }
  });
});

describe('category keys', () => {
  it('answers any unknown key with 404, however long', async () => {
    for (const key of ['x'.repeat(201), 'x'.repeat(2000), encodeURIComponent('ü'.repeat(150))]) {
      await expectProblem(await api('GET', `/api/v1/categories/${key}/`), 404, 'not_found');
    }
  });
});
