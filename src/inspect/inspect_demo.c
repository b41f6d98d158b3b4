/* inspect_demo.c - the demo's cargo: two voyages of one liner service calling at the demo
 * port, the second carrying a few planted high-risk boxes among ordinary ones, and a
 * watchlisted party, so that the inspections page opens on a queue worth working. */
#include <stdio.h>
#include <string.h>

#include "inspect_container.h"
#include "inspect_int.h"

#define REGULAR_LINES 90

/* The ordinary trade: described goods under matching HS codes, regular parties, VGM equal to
 * the declared mass, a high-security seal. */
static const struct trade {
	const char *shipper, *consignee, *goods, *hs, *pol;
	int kg;
} trades[] = {
    {"Nordic Furniture AB", "Hamburg Interiors GmbH", "wooden furniture tables", "9403", "SEGOT",
     12000},
    {"Andes Coffee Exporters SA", "Rotterdam Roasters BV", "green coffee beans in jute bags",
     "0901", "COCTG", 19000},
    {"Shenzhen Bright Electronics Co", "EuroTech Distribution GmbH", "laptop computers",
     "8471", "CNSZX", 8000},
    {"Busan Steel Trading", "Baltic Metals Oy", "steel coils, hot rolled", "7208", "KRPUS",
     24000},
    {"Dhaka Garments Ltd", "Fashion Hub Logistics NV", "cotton t-shirts, packed in cartons",
     "6109", "BDCGP", 9000},
    {"Bergen Seafood AS", "Iberia Frozen Foods SL", "frozen fish fillets", "0303", "NOBGO",
     21000},
};
#define N_TRADES (sizeof(trades) / sizeof(trades[0]))

static const char header[] =
    "vessel_imo,vessel_name,voyage,container_number,size_type,shipper,consignee,notify_party,"
    "goods_description,hs_code,declared_gross_kg,vgm_kg,port_of_loading,transshipment_ports,"
    "port_of_discharge,seals,dangerous_goods\n";

/* owner (3 letters + U) and serial into a number with its check digit (or a wrong one). */
static void number(char out[12], const char *owner, int serial, int wrong)
{
	char ten[11];
	pg_snprintf(ten, sizeof(ten), "%s%06d", owner, serial);
	int d = inspect_check_digit(ten);
	pg_snprintf(out, 12, "%s%d", ten, wrong ? (d + 3) % 10 : d);
}

static void regular(struct pg_buf *b, const char *voyage, int i)
{
	static const char *const owners[] = {"MSCU", "MAEU", "CMAU", "HLXU", "ONEU"};
	const struct trade *t = &trades[i % N_TRADES];
	char n[12];
	number(n, owners[i % 5], 100000 + i * 37 + (voyage[5] - '0') * 7000, 0);
	pg_buf_printf(b,
	              "9074729,NORDIC STAR,%s,%s,%s,%s,%s,,\"%s\",%s,%d,%d,%s,,DEHAM,SL%05d:H,\n",
	              voyage, n, i % 3 ? "42G1" : "22G1", t->shipper, t->consignee, t->goods,
	              t->hs, t->kg + (i % 7) * 150, t->kg + (i % 7) * 150, t->pol,
	              10000 + i + (voyage[5] - '0') * 500);
}

/* The planted boxes, each a combination of indicators (one indicator alone never makes a
 * box high-risk): the queue should open on these. */
static void planted(struct pg_buf *b, const char *voyage)
{
	char n[12];
	/* a first-time pair, vague goods under a computer HS code, no seal, DG without a UN
	 * number, declared mass far from the VGM, routed through two transshipments */
	number(n, "TGHU", 123456, 0);
	pg_buf_printf(b, "9074729,NORDIC STAR,%s,%s,22G1,Shadow Trade Ltd,Nowhere Imports LLC,,"
	                 "general cargo,8471,9000,14000,PAONX,COCTG;MAPTM,DEHAM,,:3\n",
	              voyage, n);
	/* a watchlisted consignee, a wrong check digit and an ordinary seal */
	number(n, "ZCSU", 654321, 1);
	pg_buf_printf(b, "9074729,NORDIC STAR,%s,%s,42G1,Coastal Agro Export,Oceanic Phantom Trading,,"
	                 "said to contain spare parts,8708,18000,18100,ECGYE,,DEHAM,BX4471:I,\n",
	              voyage, n);
	/* more than a 22G1 may weigh, described as furniture under a tobacco HS code */
	number(n, "GESU", 777001, 0);
	pg_buf_printf(b, "9074729,NORDIC STAR,%s,%s,22G1,Levant Household Goods,Hamburg Interiors GmbH,,"
	                 "furniture,2402,38000,38000,LBBEY,TRMER,DEHAM,SL99001:H,\n",
	              voyage, n);
	/* a UN number whose class does not match the declaration, and a VGM 10 % above it */
	number(n, "TCLU", 450220, 0);
	pg_buf_printf(b, "9074729,NORDIC STAR,%s,%s,22G1,Pacific Chemicals Co,Baltic Metals Oy,,"
	                 "paint and varnish,3208,16000,17600,CNSHA,,DEHAM,SL88123:S,UN1263:8\n",
	              voyage, n);
}

static int import_text(struct store *s, const struct inspect_rules *r, const struct pg_buf *b,
                       struct pg_err *err)
{
	FILE *f = fmemopen(b->p, b->len, "r");
	if (!f)
		return pg_err_set(err, PG_EIO, "demo cargo: cannot read the generated manifest");
	struct inspect_manifest *m = NULL;
	int rc = inspect_manifest_read_csv(f, &m, err);
	fclose(f);
	if (rc == 0)
		rc = inspect_import(s, r, "demo", m, NULL, err);
	inspect_manifest_free(m);
	return rc;
}

static int watch_fn(struct store_tx *tx, void *ctx, struct pg_err *err)
{
	(void)ctx;
	int64_t id = 0;
	return inspect_watchlist_add_tx(tx, "demo", "party", "Oceanic Phantom Trading",
	                                "named in a customs intelligence notice (demo)", &id, err);
}

int inspect_demo_seed(struct store *s, const struct inspect *in, struct pg_err *err)
{
	struct pg_buf b;
	pg_buf_init(&b, 1 << 20);
	int rc = store_write(s, watch_fn, NULL, err);
	/* voyage NS0411 made the regular parties known; NS0412 is the one being worked */
	for (int v = 0; v < 2 && rc == 0; v++) {
		const char *voyage = v ? "NS0412" : "NS0411";
		pg_buf_reset(&b);
		pg_buf_puts(&b, header);
		for (int i = 0; i < REGULAR_LINES; i++) {
			regular(&b, voyage, i);
			if (v && i == REGULAR_LINES / 3)
				planted(&b, voyage);
		}
		rc = import_text(s, in->rules, &b, err);
	}
	pg_buf_release(&b);
	return rc;
}
