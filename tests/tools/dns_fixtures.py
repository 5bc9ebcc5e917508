#!/usr/bin/env python3
"""Writes the generated DNS fixtures: a zone file joined with a Terraform
state, and Route 53 exports (CLI JSON and REST XML) of the same records as
fixtures/tf-clean-pair, so that the three sources can be compared.

The load balancers and ECS services come from tfstate_fixtures.py, so their
names and DNS names match the Terraform fixtures exactly. Run from the
repository root; then regenerate the golden expectations
(tests/golden.py --update build/sharedfate . fixtures/NAME) and review the diff.
"""
import json
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfstate_fixtures as tf  # noqa: E402

HC = "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
AWS_NS = ["ns-1536.awsdns-00.co.uk.", "ns-0.awsdns-00.com.", "ns-1024.awsdns-00.org.",
          "ns-512.awsdns-00.net."]


def stacks():
    east, east_dns, east_zone = tf.regional_stack("api-use1", "us-east-1", "50dc6c495c0c9188", tfname="api_use1")
    west, west_dns, west_zone = tf.regional_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", tfname="api_usw2")
    return east + west, (east_dns, east_zone), (west_dns, west_zone)


def record_sets(east, west, extra_ns=()):
    """The hosted zone of tf-clean-pair as list-resource-record-sets shows it."""
    return [
        {"Name": "example.com.", "Type": "NS", "TTL": 172800,
         "ResourceRecords": [{"Value": v} for v in AWS_NS + list(extra_ns)]},
        {"Name": "example.com.", "Type": "SOA", "TTL": 900,
         "ResourceRecords": [{"Value": "ns-0.awsdns-00.com. awsdns-hostmaster.amazon.com. "
                                       "1 7200 900 1209600 86400"}]},
        {"Name": "api.example.com.", "Type": "A", "SetIdentifier": "primary", "Failover": "PRIMARY",
         "AliasTarget": {"HostedZoneId": east[1], "DNSName": "dualstack." + east[0] + ".",
                         "EvaluateTargetHealth": True},
         "HealthCheckId": HC},
        {"Name": "api.example.com.", "Type": "A", "SetIdentifier": "secondary", "Failover": "SECONDARY",
         "AliasTarget": {"HostedZoneId": west[1], "DNSName": west[0] + ".",
                         "EvaluateTargetHealth": True}},
        {"Name": "www.example.com.", "Type": "CNAME", "TTL": 300,
         "ResourceRecords": [{"Value": "api.example.com"}]},
        {"Name": "\\052.example.com.", "Type": "TXT", "TTL": 300,
         "ResourceRecords": [{"Value": "\"wildcard\""}]},
        {"Name": "_dmarc.example.com.", "Type": "TXT", "TTL": 300,
         "ResourceRecords": [{"Value": "\"v=DMARC1; p=reject\""}]},
    ]


def to_xml(sets):
    """The same record sets as the REST API's ListResourceRecordSetsResponse."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">',
           '   <ResourceRecordSets>']
    for s in sets:
        out.append('      <ResourceRecordSet>')
        for k in ("Name", "Type", "SetIdentifier", "Failover", "TTL"):
            if k in s:
                out.append('         <%s>%s</%s>' % (k, escape(str(s[k])), k))
        if "ResourceRecords" in s:
            out.append('         <ResourceRecords>')
            for rr in s["ResourceRecords"]:
                out.append('            <ResourceRecord>')
                out.append('               <Value>%s</Value>' % escape(rr["Value"]))
                out.append('            </ResourceRecord>')
            out.append('         </ResourceRecords>')
        if "AliasTarget" in s:
            a = s["AliasTarget"]
            out.append('         <AliasTarget>')
            out.append('            <HostedZoneId>%s</HostedZoneId>' % a["HostedZoneId"])
            out.append('            <DNSName>%s</DNSName>' % escape(a["DNSName"]))
            out.append('            <EvaluateTargetHealth>%s</EvaluateTargetHealth>'
                       % ("true" if a["EvaluateTargetHealth"] else "false"))
            out.append('         </AliasTarget>')
        if "HealthCheckId" in s:
            out.append('         <HealthCheckId>%s</HealthCheckId>' % s["HealthCheckId"])
        out.append('      </ResourceRecordSet>')
    out += ['   </ResourceRecordSets>', '   <IsTruncated>false</IsTruncated>',
            '   <MaxItems>300</MaxItems>', '</ListResourceRecordSetsResponse>', '']
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    resources, east, west = stacks()
    st = json.dumps(tf.state(resources), indent=2) + "\n"

    # Route 53 exports beside a state that holds the load balancers only.
    write("fixtures/route53-json/terraform.tfstate", st)
    write("fixtures/route53-json/records.json",
          json.dumps({"ResourceRecordSets": record_sets(east, west), "IsTruncated": False,
                      "MaxItems": "300"}, indent=4) + "\n")
    # The XML export lists a second provider's servers at the apex too.
    write("fixtures/route53-xml/terraform.tfstate", st)
    write("fixtures/route53-xml/records.xml",
          to_xml(record_sets(east, west, extra_ns=["dns1.p01.nsone.net.", "dns2.p01.nsone.net."])))

    # A zone file whose names lead into the state's load balancers.
    write("fixtures/zone-tfstate-join/terraform.tfstate", st)
    write("fixtures/zone-tfstate-join/example.com.zone", """\
; example.com is kept as a zone file; the load balancers live in Terraform.
$ORIGIN example.com.
$TTL 60
@        IN SOA ns1.example.net. hostmaster.example.com. 2024060101 7200 3600 1209600 60
         IN NS  ns1.example.net.
         IN NS  dns1.p01.nsone.net.
api      IN CNAME api-use1
api-use1 IN CNAME %s.
api-usw2 IN CNAME %s.
""" % (east[0].upper(), west[0]))
    write("fixtures/zone-tfstate-join/sharedfate.yaml", """\
version: 1
services:
  - name: api
    dns: api.example.com
    primary: api-use1.example.com
    standby: api-usw2.example.com
""")


if __name__ == "__main__":
    main()
