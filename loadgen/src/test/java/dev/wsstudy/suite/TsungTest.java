package dev.wsstudy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class TsungTest {
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // The DTD path is tsung's; the test does not need the package installed.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void closedLoopConfigSendsTheNextMessageRightAfterTheEcho() throws Exception {
        Document d = parse(Tsung.config(new Tsung.Workload(8080, "/echo", 50, 64, null, 29)));
        Element users = (Element) d.getElementsByTagName("users").item(0);
        assertThat(users.getAttribute("maxnumber")).isEqualTo("50");
        assertThat(Integer.parseInt(users.getAttribute("arrivalrate"))).isGreaterThanOrEqualTo(100);
        assertThat(((Element) d.getElementsByTagName("load").item(0)).getAttribute("duration")).isEqualTo("29");
        assertThat(((Element) d.getElementsByTagName("server").item(0)).getAttribute("port")).isEqualTo("8080");
        assertThat(d.getDocumentElement().getAttribute("backend")).isEqualTo("fullstats");
        Element connect = (Element) d.getElementsByTagName("websocket").item(0);
        assertThat(connect.getAttribute("type")).isEqualTo("connect");
        assertThat(connect.getAttribute("path")).isEqualTo("/echo");
        Element msg = (Element) d.getElementsByTagName("websocket").item(1);
        assertThat(msg.getAttribute("type")).isEqualTo("message");
        assertThat(msg.getAttribute("frame")).isEqualTo("binary");
        assertThat(msg.getAttribute("ack")).as("default ack=parse: wait for the echo").isEmpty();
        assertThat(msg.getTextContent()).hasSize(64);
        assertThat(d.getElementsByTagName("thinktime").getLength()).isZero();
    }

    @Test
    void pacedConfigThinksAFixedTimeAfterEachEcho() throws Exception {
        Document d = parse(Tsung.config(new Tsung.Workload(8080, "/echo", 50, 64, 10, 29)));
        Element think = (Element) d.getElementsByTagName("thinktime").item(0);
        assertThat(think.getAttribute("value")).isEqualTo("0.010");
        assertThat(think.getAttribute("random")).isEqualTo("false");
        assertThat(think.getParentNode().getNodeName()).isEqualTo("for");
    }
}
