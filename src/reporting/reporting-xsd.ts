/*
 * The schema of the Reporting API's documents, served at /api/reporting.xsd as the appliance
 * publishes its own. The same text as reporting.xsd beside this file (a test keeps them
 * equal): a string here because the build copies only compiled TypeScript.
 */
export const REPORTING_XSD = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!--
  The documents Outbound's Reporting API writes (/api/reporting, /api/reporting.ns), in the
  namespace of a "Bomgar Box" era appliance. Reconstructed from the vendor's public documents and
  public clients; element order as in the vendor's report. The tests validate every document
  they fetch against this schema.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:r="http://www.bomgar.com/namespaces/API/reporting"
           targetNamespace="http://www.bomgar.com/namespaces/API/reporting"
           elementFormDefault="qualified">

  <!-- Roots -->
  <xs:element name="session_list">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="session" type="r:Session" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>

  <xs:element name="session_summary_list">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="session_summary" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="external_key" type="xs:string"/>
            </xs:sequence>
            <xs:attribute name="lsid" type="r:Lsid" use="required"/>
            <xs:attribute name="has_recording" type="r:Flag" use="required"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>

  <xs:element name="exit_survey_list">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="exit_survey" type="r:ExitSurvey" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>

  <!-- Any failure: the message names what is wrong. -->
  <xs:element name="error" type="xs:string"/>

  <!-- Simple types -->
  <xs:simpleType name="Lsid">
    <xs:restriction base="xs:string">
      <xs:pattern value="[0-9a-f]{32}"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="Flag">
    <xs:restriction base="xs:nonNegativeInteger">
      <xs:maxInclusive value="1"/>
    </xs:restriction>
  </xs:simpleType>

  <!-- ISO 8601 with an explicit +00:00 -->
  <xs:simpleType name="IsoTime">
    <xs:restriction base="xs:string">
      <xs:pattern value="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="Hms">
    <xs:restriction base="xs:string">
      <xs:pattern value="\d{2,}:[0-5]\d:[0-5]\d"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="PartyType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="system"/>
      <xs:enumeration value="customer"/>
      <xs:enumeration value="representative"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="EventType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="Session Start"/>
      <xs:enumeration value="Conference Owner Changed"/>
      <xs:enumeration value="Conference Member Added"/>
      <xs:enumeration value="Conference Member Departed"/>
      <xs:enumeration value="Chat Message"/>
      <xs:enumeration value="Session Note Added"/>
      <xs:enumeration value="File Upload"/>
      <xs:enumeration value="File Download"/>
      <xs:enumeration value="External Key Changed"/>
      <xs:enumeration value="Custom Attribute Changed"/>
      <xs:enumeration value="Customer Exit Survey"/>
      <xs:enumeration value="Representative Exit Survey"/>
      <xs:enumeration value="Session End"/>
    </xs:restriction>
  </xs:simpleType>

  <!-- Complex types -->
  <xs:complexType name="Time">
    <xs:simpleContent>
      <xs:extension base="r:IsoTime">
        <xs:attribute name="timestamp" type="xs:nonNegativeInteger" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Site">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Participant">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="gsnumber" type="xs:nonNegativeInteger" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Rep">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="gsnumber" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="id" type="xs:string" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Party">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="type" type="r:PartyType" use="required"/>
        <xs:attribute name="gsnumber" type="xs:nonNegativeInteger" use="required"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>

  <xs:complexType name="Value">
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="value" type="xs:string" use="required"/>
  </xs:complexType>

  <xs:complexType name="Values">
    <xs:sequence>
      <xs:element name="value" type="r:Value" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Survey">
    <xs:sequence>
      <xs:element name="value" type="r:Value" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="gsnumber" type="xs:nonNegativeInteger" use="required"/>
  </xs:complexType>

  <xs:complexType name="CustomAttributes">
    <xs:sequence>
      <xs:element name="custom_attribute" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:simpleContent>
            <xs:extension base="xs:string">
              <xs:attribute name="code_name" type="xs:string" use="required"/>
              <xs:attribute name="display_name" type="xs:string" use="required"/>
            </xs:extension>
          </xs:simpleContent>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Session">
    <xs:sequence>
      <xs:element name="session_type" type="xs:string" fixed="support"/>
      <xs:element name="lseq" type="xs:positiveInteger"/>
      <xs:element name="start_time" type="r:Time"/>
      <!-- Absent while the session runs. -->
      <xs:element name="end_time" type="r:Time" minOccurs="0"/>
      <xs:element name="duration" type="r:Hms"/>
      <xs:element name="public_site" type="r:Site"/>
      <xs:element name="external_key" type="xs:string"/>
      <xs:element name="custom_attributes" type="r:CustomAttributes"/>
      <xs:element name="file_transfer_count" type="xs:nonNegativeInteger"/>
      <xs:element name="file_move_count" type="xs:nonNegativeInteger"/>
      <xs:element name="file_delete_count" type="xs:nonNegativeInteger"/>
      <!-- Absent until a customer, a representative, joined. -->
      <xs:element name="primary_customer" type="r:Participant" minOccurs="0"/>
      <xs:element name="primary_rep" type="r:Rep" minOccurs="0"/>
      <xs:element name="customer_list">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="customer" type="r:Customer" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="rep_list">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="representative" type="r:Representative" minOccurs="0"
                        maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="cust_survey_list">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="cust_exit_survey" type="r:Survey" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="rep_survey_list">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="rep_exit_survey" type="r:Survey" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="session_details">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="event" type="r:Event" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="lsid" type="r:Lsid" use="required"/>
  </xs:complexType>

  <xs:complexType name="Customer">
    <xs:sequence>
      <xs:element name="username" type="xs:string"/>
      <xs:element name="public_ip" type="xs:string"/>
      <xs:element name="private_ip" type="xs:string"/>
      <xs:element name="hostname" type="xs:string"/>
      <xs:element name="os" type="xs:string"/>
      <xs:element name="primary_cust" type="r:Flag"/>
      <xs:element name="info">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="name" type="xs:string"/>
            <xs:element name="company" type="xs:string"/>
            <xs:element name="company_code" type="xs:string"/>
            <xs:element name="issue" type="xs:string"/>
            <xs:element name="details" type="xs:string"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="gsnumber" type="xs:positiveInteger" use="required"/>
  </xs:complexType>

  <xs:complexType name="Representative">
    <xs:sequence>
      <xs:element name="username" type="xs:string"/>
      <xs:element name="display_name" type="xs:string"/>
      <xs:element name="public_display_name" type="xs:string"/>
      <xs:element name="private_display_name" type="xs:string"/>
      <xs:element name="public_ip" type="xs:string"/>
      <xs:element name="private_ip" type="xs:string"/>
      <xs:element name="hostname" type="xs:string"/>
      <xs:element name="os" type="xs:string"/>
      <xs:element name="session_owner" type="r:Flag"/>
      <xs:element name="primary_rep" type="r:Flag"/>
      <xs:element name="seconds_involved" type="xs:nonNegativeInteger"/>
    </xs:sequence>
    <xs:attribute name="gsnumber" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="id" type="xs:string" use="required"/>
  </xs:complexType>

  <xs:complexType name="Event">
    <xs:sequence>
      <xs:element name="performed_by" type="r:Party" minOccurs="0"/>
      <xs:element name="destination" type="r:Party" minOccurs="0"/>
      <xs:choice minOccurs="0">
        <xs:element name="body" type="xs:string"/>
        <!-- base64 of the UTF-8 text, when XML 1.0 cannot carry it -->
        <xs:element name="encoded_body" type="xs:base64Binary"/>
      </xs:choice>
      <xs:element name="data" type="r:Values" minOccurs="0"/>
      <xs:element name="files" minOccurs="0">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="file" maxOccurs="unbounded">
              <xs:complexType>
                <xs:sequence>
                  <xs:element name="filename" type="xs:string"/>
                  <xs:element name="filesize" type="xs:nonNegativeInteger"/>
                </xs:sequence>
              </xs:complexType>
            </xs:element>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="timestamp" type="xs:nonNegativeInteger" use="required"/>
    <xs:attribute name="event_type" type="r:EventType" use="required"/>
  </xs:complexType>

  <xs:complexType name="ExitSurvey">
    <xs:sequence>
      <xs:element name="lseq" type="xs:positiveInteger"/>
      <xs:element name="survey_time" type="r:Time"/>
      <xs:element name="public_site" type="r:Site"/>
      <xs:element name="external_key" type="xs:string"/>
      <xs:element name="primary_customer" type="r:Participant" minOccurs="0"/>
      <xs:element name="primary_rep" type="r:Rep" minOccurs="0"/>
      <xs:element name="answers" type="r:Values"/>
    </xs:sequence>
    <xs:attribute name="lsid" type="r:Lsid" use="required"/>
    <xs:attribute name="type" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="customer"/>
          <xs:enumeration value="representative"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="gsnumber" type="xs:nonNegativeInteger" use="required"/>
  </xs:complexType>
</xs:schema>
`;
