/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XML adapter mode (what IMS Connect's HWSXMLA0 adapter does for IMS SOAP
 * Gateway): a request whose IRM (ARCH >= 2) names the adapter in
 * IRM_TAG_ADAPT and a converter in IRM_TAG_MAP carries an XML document
 * (UTF-8) instead of the transaction's record.  The converter, configured as
 * [converter NAME], turns the XML into the input message through a COBOL
 * copybook and the output message back into XML (copybook/copybook.h).
 *
 * Built only when the copybook library is part of the tree
 * (SIM_HAVE_COPYBOOK); otherwise every converter is "not found".
 */
#ifndef SIM_XML_H
#define SIM_XML_H

#include <stddef.h>
#include <stdint.h>
#include "imsgw/buf.h"
#include "sim_config.h"

#define SIM_XML_ADAPTER "HWSXMLA0"

/* XML adapter status codes (XASM, RSM layout with *XADPST*). */
#define SIM_XASM_RC            8u
#define SIM_XASM_BAD_ADAPTER   8u	/* unknown adapter name              */
#define SIM_XASM_NO_CONVERTER  108u	/* converter not found               */
#define SIM_XASM_IN_ERROR      100u	/* inbound XML refused               */
#define SIM_XASM_OUT_ERROR     200u	/* outbound record did not convert   */

struct sim_xml;

/* Load every [converter]: parse copybooks, build messages, open code
 * pages.  Errors are logged with the converter's name. */
int sim_xml_create(const struct sim_config *cfg, struct sim_xml **out);
void sim_xml_destroy(struct sim_xml *x);
/* The converter named name, or NULL. */
const struct sim_conv_def *sim_xml_find(const struct sim_xml *x, const char *name);
/* XML request -> input message segments (LLZZ..., EBCDIC) appended to out. */
int sim_xml_to_input(const struct sim_xml *x, const struct sim_conv_def *d,
                     const void *xml, size_t len, struct igw_buf *out);
/* Output segments (LLZZ..., EBCDIC) -> response XML appended to out. */
int sim_xml_from_output(const struct sim_xml *x, const struct sim_conv_def *d,
                        const uint8_t *body, size_t len, struct igw_buf *out);

#endif
