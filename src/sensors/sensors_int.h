/* sensors_int.h - what only the sensors module's files share. */
#ifndef PG_SENSORS_INT_H
#define PG_SENSORS_INT_H

#include <pthread.h>

#include "../http/http_handler.h"
#include "sensors.h"

#define SENSORS_ADMIN (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PFSO))
#define SENSORS_READ  (ROLES_ANY & ~ROLE_BIT(ROLE_DEVICE))
#define SENSORS_POST  (ROLE_BIT(ROLE_DEVICE) | ROLE_BIT(ROLE_ADMIN))

struct sensors_mqtt;

struct sensors {
	struct store *store;
	int64_t started_ms;
	/* counters by source and result (atomics) */
	uint64_t counts[SOURCE_N][SR_N_RESULTS];
	int64_t last_log_ms[SOURCE_N][SR_N_RESULTS];
	uint64_t suppressed[SOURCE_N][SR_N_RESULTS];
	/* the supervisor */
	pthread_t sup_thread;
	int sup_running;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int stopping;
	/* MQTT */
	struct sensors_mqtt *mqtt;
};

/* The rows sensors_lookup reads, and the event fields made from them. */
int sensors_lookup(struct store_tx *tx, const char *ref, struct store_rows **out,
                   struct pg_err *err);
json_t *sensors_event_base(const char *action, struct store_rows *r);

/* sensors_registry.c */
int sensors_registry_register_routes(struct sensors *m);

/* sensors_mqtt.c: the subscriber (cfg->mqtt_*). */
int sensors_mqtt_start(struct sensors *m, const struct pg_config *cfg, struct pg_err *err);
void sensors_mqtt_stop(struct sensors *m); /* stops and drains; may be called again */
void sensors_mqtt_free(struct sensors *m);
void sensors_mqtt_metrics(struct sensors *m, struct pg_buf *out);

#endif
