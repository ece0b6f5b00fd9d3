/* The chart texts of both languages (labels.def) and the names of the on-call schemes. The
 * Japanese follows the words Japanese home-care documents use (主治医・副主治医制 for
 * Kashiwa's primary/backup pairing, 輪番制 for a night-duty rotation). */
#include <string.h>

#include "plot.h"

static const char *const texts[L_COUNT][2] = {
#define LABEL(id, en, ja) [id] = {en, ja},
#include "label_texts.h"
#undef LABEL
};

const char *plot_label(const plot_ctx *c, label_id id)
{
    return texts[id][c->lang == CC_LANG_JA];
}

static const struct {
    const char *id, *en, *ja;
} schemes[] = {
    {"solo", "Solo (own doctor only)", "単独型（主治医のみ）"},
    {"pairing", "Primary/backup pairing", "主治医・副主治医制"},
    {"rotation", "Night-duty rotation", "輪番制"},
    {"cooperative", "Cooperative of backup clinics", "協力型（後方支援診療所の共同当番）"},
};

const char *plot_scheme_label(const plot_ctx *c, const char *scheme)
{
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strcmp(schemes[i].id, scheme) == 0)
            return c->lang == CC_LANG_JA ? schemes[i].ja : schemes[i].en;
    return scheme;
}
