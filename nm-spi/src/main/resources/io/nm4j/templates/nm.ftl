<#--
  nm4j's template library: import it with <#import "/nm.ftl" as nm>.
  Functions return plain strings; the importing template's format escapes them when printed.
-->
<#-- "[FIRING:2 RESOLVED:1] KubePodCrashLooping", or the number of alerts when their names differ. -->
<#function title>
  <#if !alerts?has_content><#return words.noAlerts></#if>
  <#local counts = []>
  <#if firing?has_content><#local counts += [words.firing + ":" + firing?size]></#if>
  <#if resolved?has_content><#local counts += [words.resolved + ":" + resolved?size]></#if>
  <#local name = commonName?has_content?then(commonName, alerts?size + " " + words.alerts)>
  <#return "[" + counts?join(" ") + "] " + name>
</#function>

<#-- "namespace=demo, severity=critical, pod=web-0": an alert's labels on one line. -->
<#function labels alert>
  <#local pairs = []>
  <#list alert.labels as l><#local pairs += [l.name + "=" + l.value]></#list>
  <#return pairs?join(", ")>
</#function>
